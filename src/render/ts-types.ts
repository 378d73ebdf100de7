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

/**
 * `refPrefix` qualifies schema names (`T.` when the schemas are imported as a namespace, which
 * keeps generated names from clashing with spec names).
 */
export function tsType(type: TypeRef, indent = '', refPrefix = ''): string {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'integer' ? 'number' : type.name;
    case 'format':
      return 'string';
    case 'ref':
      return refPrefix + tsTypeName(type.name);
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

export function objectType(fields: readonly Field[], indent = '', refPrefix = ''): string {
  if (fields.length === 0) return 'Record<string, never>';
  const inner = `${indent}  `;
  const lines = fields.map((f) => `${jsDoc(f.description, inner)}${inner}${tsKey(f.name)}${f.optional ? '?' : ''}: ${tsType(f.type, inner, refPrefix)};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** `export interface User { … }` or `export type Money = number;`. */
export function schemaDeclaration(schema: NamedSchema): string {
  const name = tsTypeName(schema.name);
  if (schema.type.kind === 'object') return `export interface ${name} ${objectType(schema.type.fields)}\n`;
  return `export type ${name} = ${tsType(schema.type)};\n`;
}
