/**
 * Type strings (`Item[]`, `string?`, `a|b|c`, `email`) to TypeRefs. Names are resolved
 * against the schemas in scope; a name that resolves nowhere becomes `scope: 'unknown'`
 * and the `unknown-schema` check reports it.
 */
import type { Primitive, StringFormat, TypeRef } from './types.js';

const PRIMITIVES = new Set<string>(['string', 'integer', 'number', 'boolean']);
const FORMATS = new Set<string>(['uuid', 'email', 'date', 'date-time', 'uri']);
export const BUILTIN_SCHEMAS = new Set<string>(['Error']);

export interface Scope {
  /** Names of the shared schemas. */
  readonly shared: ReadonlySet<string>;
  /** Names of the current service's own schemas (empty outside a service). */
  readonly local: ReadonlySet<string>;
}

export interface ParsedType {
  readonly type: TypeRef;
  readonly optional: boolean;
}

export function parseTypeString(text: string, scope: Scope): ParsedType {
  let s = text.trim();
  const optional = s.endsWith('?');
  if (optional) s = s.slice(0, -1);
  if (s.includes('|')) return { optional, type: { kind: 'enum', values: s.split('|').map((v) => v.trim()) } };
  let depth = 0;
  while (s.endsWith('[]')) {
    depth++;
    s = s.slice(0, -2);
  }
  let type: TypeRef;
  if (PRIMITIVES.has(s)) type = { kind: 'primitive', name: s as Primitive };
  else if (FORMATS.has(s)) type = { kind: 'format', format: s as StringFormat };
  else if (s === 'empty') type = { kind: 'empty' };
  else if (scope.local.has(s)) type = { kind: 'ref', name: s, scope: 'service' };
  else if (scope.shared.has(s)) type = { kind: 'ref', name: s, scope: 'shared' };
  else if (BUILTIN_SCHEMAS.has(s)) type = { kind: 'ref', name: s, scope: 'builtin' };
  else type = { kind: 'ref', name: s, scope: 'unknown' };
  for (let i = 0; i < depth; i++) type = { kind: 'array', items: type };
  return { type, optional };
}

/** Every name a type string may use besides schema names: for "did you mean" on typos. */
export const BUILTIN_TYPE_WORDS: readonly string[] = [...PRIMITIVES, ...FORMATS, 'empty', ...BUILTIN_SCHEMAS];

/** The TypeRefs nested in a type, itself included (for walking refs). */
export function* walkType(type: TypeRef): Generator<TypeRef> {
  yield type;
  if (type.kind === 'array') yield* walkType(type.items);
  if (type.kind === 'object') for (const f of type.fields) yield* walkType(f.type);
}

/** The type string a TypeRef was written as (for messages and diffs). */
export function typeToString(type: TypeRef): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'format':
      return type.format;
    case 'ref':
      return type.name;
    case 'array':
      return `${typeToString(type.items)}[]`;
    case 'enum':
      return type.values.join('|');
    case 'object':
      return `{ ${type.fields.map((f) => `${f.name}${f.optional ? '?' : ''}: ${typeToString(f.type)}`).join(', ')} }`;
    case 'empty':
      return 'empty';
  }
}
