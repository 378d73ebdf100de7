/**
 * Data as a TypeScript literal that reads like hand-written code: identifier keys bare, strings
 * single-quoted, and a collection on one line when it fits, else one entry per line.
 */
import { tsString } from './escape.js';
import { tsKey } from './ts-types.js';

/** Lines longer than this are broken up. */
const WIDTH = 100;

const scalar = (value: unknown): string => (value === null || value === undefined ? 'null' : typeof value === 'string' ? tsString(value) : String(value));

const entriesOf = (value: object): [string | undefined, unknown][] => (Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value));

const keyPrefix = (key: string | undefined): string => (key === undefined ? '' : `${tsKey(key)}: `);

/**
 * `value` on one line, or undefined as soon as it is longer than `room`. Trying the one-line
 * form this way, rather than rendering each child both ways, keeps deep schemas linear.
 */
function oneLine(value: unknown, room: number): string | undefined {
  if (value === null || typeof value !== 'object') {
    const text = scalar(value);
    return text.length <= room ? text : undefined;
  }
  const entries = entriesOf(value);
  const [open, close, pad] = Array.isArray(value) ? ['[', ']', ''] : ['{', '}', ' '];
  if (entries.length === 0) return open + close;
  let text = open + pad;
  for (const [i, [key, v]] of entries.entries()) {
    text += (i === 0 ? '' : ', ') + keyPrefix(key);
    const rendered = oneLine(v, room - text.length - pad.length - close.length);
    if (rendered === undefined) return undefined;
    text += rendered;
  }
  text += pad + close;
  return text.length <= room ? text : undefined;
}

/**
 * `used` is what the line holds besides the indent and the value itself (a key before it, a
 * comma after it), so that the whole line stays within the width.
 */
export function tsLiteral(value: unknown, indent = '', used = 0): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  const flat = oneLine(value, WIDTH - indent.length - used);
  if (flat !== undefined) return flat;
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const inner = `${indent}  `;
  const items = entriesOf(value).map(([key, v]) => {
    const prefix = keyPrefix(key);
    return `${inner}${prefix}${tsLiteral(v, inner, prefix.length + 1)},`;
  });
  return `${open}\n${items.join('\n')}\n${indent}${close}`;
}

/**
 * A class method's first line, `  override async name(a: A, b: B): Promise<R> {`, with one
 * parameter per line when the whole does not fit the width (as a formatter would break it).
 */
export function methodHead(prefix: string, params: readonly string[], returns: string, indent = '  '): string {
  const flat = `${indent}${prefix}(${params.join(', ')}): ${returns} {`;
  if (flat.length <= WIDTH || params.length === 0) return flat;
  return `${indent}${prefix}(\n${params.map((p) => `${indent}  ${p},`).join('\n')}\n${indent}): ${returns} {`;
}

/** An abstract method's declaration, `  abstract name(a: A): R;`, broken like `methodHead` when too long. */
export function abstractMethod(name: string, params: readonly string[], returns: string, indent = '  '): string {
  return `${methodHead(`abstract ${name}`, params, returns, indent).slice(0, -' {'.length)};`;
}
