/**
 * `bad-pattern`: a field's `pattern` must compile as the generated validators compile it
 * (JavaScript, with the `u` flag, as Ajv does), and must not let a repeated group end in a
 * repetition of its own (`(a+)+`, `(\w+\s?)*`): such a pattern backtracks exponentially on a
 * crafted input, and a single request could stall the service.
 *
 * Not detected: overlapping alternatives under a repetition (`(a|a)*`).
 */
import type { SystemModel } from '../model/types.js';
import { everyField } from '../model/fields.js';
import { error, type Finding } from './finding.js';

/** How a quantifier repeats what precedes it. */
function quantifierAt(source: string, i: number): { kind: 'unbounded' | 'optional' | 'once'; length: number } {
  const c = source[i];
  const lazy = (n: number) => (source[i + n] === '?' ? n + 1 : n);
  if (c === '*' || c === '+') return { kind: 'unbounded', length: lazy(1) };
  if (c === '?') return { kind: 'optional', length: lazy(1) };
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (braces) {
    const kind = braces[2] !== undefined && braces[3] === '' ? 'unbounded' : braces[1] === '0' ? 'optional' : 'once';
    return { kind, length: lazy(braces[0].length) };
  }
  return { kind: 'once', length: 0 };
}

/**
 * Whether a group repeated without bound can end in an unbounded repetition (only optional
 * atoms after it), which makes the split between two rounds of the group ambiguous.
 */
export function nestedRepetition(source: string): boolean {
  // Per open group: does the current alternative end in an unbounded repetition, and did an earlier one?
  const frames: { tail: boolean; anyAlternative: boolean }[] = [{ tail: false, anyAlternative: false }];
  const top = () => frames[frames.length - 1];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let atomTail = false;
    if (c === '(') {
      frames.push({ tail: false, anyAlternative: false });
      i += source.startsWith('(?', i) ? (/^\(\?(<[=!]|[:=!]|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i))?.[0].length ?? 2) : 1;
      continue;
    }
    if (c === '|') {
      top().anyAlternative ||= top().tail;
      top().tail = false;
      i++;
      continue;
    }
    if (c === ')') {
      const frame = frames.length > 1 ? frames.pop()! : top();
      atomTail = frame.anyAlternative || frame.tail;
      i++;
    } else if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else {
      i++;
    }
    const q = quantifierAt(source, i);
    i += q.length;
    if (q.kind === 'unbounded') {
      if (atomTail) return true;
      top().tail = true;
    } else if (q.kind === 'optional') {
      top().tail ||= atomTail;
    } else {
      top().tail = atomTail;
    }
  }
  return false;
}

export function checkPatterns(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  for (const field of everyField(model)) {
    const pattern = field.constraints?.pattern;
    if (pattern === undefined) continue;
    const at = [...field.at, 'pattern'];
    try {
      new RegExp(pattern, 'u');
    } catch (err) {
      out.push(error('bad-pattern', at, `the pattern of ${field.name} is not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`));
      continue;
    }
    if (nestedRepetition(pattern)) {
      out.push(error('bad-pattern', at, `the pattern of ${field.name} repeats a group that ends in a repetition of its own, which can take exponential time on a crafted input: make the split unambiguous (e.g. \`(a+)+\` → \`a+\`)`));
    }
  }
  return out;
}
