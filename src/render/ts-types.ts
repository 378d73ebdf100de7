/**
 * TypeRefs as TypeScript type expressions, and named schemas as declarations. Written as code,
 * not templates: types nest, and a recursive function says that more plainly.
 */
import type { Field, NamedSchema, TypeRef } from '../model/types.js';
import { jsDoc, tsString } from './escape.js';

/** The built-in `Error` schema would shadow the global `Error` type; it is `ErrorBody` in code. */
export const tsTypeName = (name: string): string => (name === 'Error' ? 'ErrorBody' : name);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const tsKey = (name: string): string => (IDENT.test(name) ? name : tsString(name));

/** Names a schema reference in code: a prefix for every name (`T.`), or a function of the ref. */
export type RefNaming = string | ((ref: Extract<TypeRef, { kind: 'ref' }>) => string);

const refName = (ref: Extract<TypeRef, { kind: 'ref' }>, naming: RefNaming): string =>
  typeof naming === 'function' ? naming(ref) : naming + tsTypeName(ref.name);

/**
 * `refPrefix` qualifies schema names (`T.` when the schemas are imported as a namespace, which
 * keeps generated names from clashing with spec names); a function names each reference itself
 * (a client module renames a shared schema that the callee's own schema shadows).
 */
export function tsType(type: TypeRef, indent = '', refPrefix: RefNaming = ''): string {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'integer' ? 'number' : type.name;
    case 'format':
      return 'string';
    case 'ref':
      return refName(type, refPrefix);
    case 'array': {
      const inner = tsType(type.items, indent, refPrefix);
      return /^[A-Za-z0-9_.]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
    }
    case 'enum':
      return type.values.map(tsString).join(' | ');
    case 'object':
      return objectType(type.fields, indent, refPrefix);
    case 'empty':
      return 'undefined';
  }
}

export function objectType(fields: readonly Field[], indent = '', refPrefix: RefNaming = ''): string {
  if (fields.length === 0) return 'Record<string, never>';
  const inner = `${indent}  `;
  const lines = fields.map((f) => `${jsDoc(f.description, inner)}${inner}${tsKey(f.name)}${f.optional ? '?' : ''}: ${tsType(f.type, inner, refPrefix)};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** `export interface User { … }` or `export type Money = number;`. */
export function schemaDeclaration(schema: NamedSchema, refs: RefNaming = '', name = tsTypeName(schema.name)): string {
  if (schema.type.kind === 'object') return `export interface ${name} ${objectType(schema.type.fields, '', refs)}\n`;
  return `export type ${name} = ${tsType(schema.type, '', refs)};\n`;
}
