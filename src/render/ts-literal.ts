/**
 * Data as a TypeScript literal that reads like hand-written code: identifier keys bare, strings
 * single-quoted, and a collection on one line when it fits, else one entry per line.
 */
import { tsString } from './escape.js';
import { tsKey } from './ts-types.js';

/** Lines longer than this are broken up. */
const WIDTH = 100;

export function tsLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return tsString(value);
  if (typeof value !== 'object') return String(value);
  const entries: [string | undefined, unknown][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value as object);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const item = ([key, v]: [string | undefined, unknown], at: string): string => (key === undefined ? '' : `${tsKey(key)}: `) + tsLiteral(v, at);
  const pad = Array.isArray(value) ? '' : ' ';
  const flat = `${open}${pad}${entries.map((e) => item(e, indent)).join(', ')}${pad}${close}`;
  if (!flat.includes('\n') && indent.length + flat.length <= WIDTH) return flat;
  const inner = `${indent}  `;
  return `${open}\n${entries.map((e) => `${inner}${item(e, inner)},`).join('\n')}\n${indent}${close}`;
}
