/**
 * Data as a TypeScript literal that reads like hand-written code: identifier keys bare, strings
 * single-quoted, and a collection on one line when it fits, else one entry per line.
 */
import { tsString } from './escape.js';
import { tsKey } from './ts-types.js';

/** Lines longer than this are broken up. */
const WIDTH = 100;

/**
 * `used` is what the line holds besides the indent and the value itself (a key before it, a
 * comma after it), so that the whole line stays within the width.
 */
export function tsLiteral(value: unknown, indent = '', used = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value !== 'object') return String(value);
  const entries: [string | undefined, unknown][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value as object);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const item = ([key, v]: [string | undefined, unknown], at: string, after: number): string => {
    const prefix = key === undefined ? '' : `${tsKey(key)}: `;
    return prefix + tsLiteral(v, at, prefix.length + after);
  };
  const pad = Array.isArray(value) ? '' : ' ';
  const flat = `${open}${pad}${entries.map((e) => item(e, indent, 0)).join(', ')}${pad}${close}`;
  if (!flat.includes('\n') && indent.length + used + flat.length <= WIDTH) return flat;
  const inner = `${indent}  `;
  return `${open}\n${entries.map((e) => `${inner}${item(e, inner, 1)},`).join('\n')}\n${indent}${close}`;
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
