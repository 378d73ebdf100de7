/**
 * TypeRefs and fields as JSON Schema (2020-12, the dialect of OpenAPI 3.1 and close enough
 * for AsyncAPI 3.0 payloads). Pure and deterministic: the same model gives the same objects.
 *
 * Named schemas become `$ref`s; how a name becomes a reference is the caller's choice
 * (`#/components/schemas/Name` by default), so a document can rename a shared schema that a
 * service schema shadows.
 */
import type { Constraints, Field, TypeRef } from '../model/types.js';

export type JsonSchema = { [key: string]: unknown };

/** A `$ref` prefix (`#/components/schemas/`) or a function naming the reference of a schema. */
export type RefNamer = string | ((ref: Extract<TypeRef, { kind: 'ref' }>) => string);

export const COMPONENTS_PREFIX = '#/components/schemas/';

/** The built-in `Error` schema of SPEC §2: `{ error: string, message: string }`, both required. */
export const ERROR_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
});

const CONSTRAINT_ORDER: readonly (keyof Constraints)[] = ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'default', 'examples'];

function refOf(type: Extract<TypeRef, { kind: 'ref' }>, refPrefix: RefNamer): string {
  return typeof refPrefix === 'function' ? refPrefix(type) : `${refPrefix}${type.name}`;
}

/** One type as a schema. `empty` (a response without a body) has no schema: `{}` here. */
export function typeToJsonSchema(type: TypeRef, refPrefix: RefNamer = COMPONENTS_PREFIX): JsonSchema {
  switch (type.kind) {
    case 'primitive':
      return { type: type.name };
    case 'format':
      return { type: 'string', format: type.format };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'array':
      return { type: 'array', items: typeToJsonSchema(type.items, refPrefix) };
    case 'object':
      return fieldsToObjectSchema(type.fields, refPrefix);
    case 'ref':
      return { $ref: refOf(type, refPrefix) };
    case 'empty':
      return {};
  }
}

/** A field's schema: its type, its description, then its constraints. */
export function fieldToJsonSchema(field: Field, refPrefix: RefNamer = COMPONENTS_PREFIX): JsonSchema {
  const schema: JsonSchema = { ...typeToJsonSchema(field.type, refPrefix) };
  if (field.description !== undefined) schema.description = field.description;
  const c = field.constraints;
  if (c) {
    for (const key of CONSTRAINT_ORDER) {
      const value = c[key];
      if (value === undefined) continue;
      // A copy: the model is frozen, and a document may be mutated by whoever receives it (dereferencing).
      schema[key] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
    }
  }
  return schema;
}

/**
 * Fields as an object schema: properties in spec order (the order a person wrote them in),
 * `required` lists the fields that are not optional, in the same order.
 */
export function fieldsToObjectSchema(fields: readonly Field[], refPrefix: RefNamer = COMPONENTS_PREFIX): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) properties[f.name] = fieldToJsonSchema(f, refPrefix);
  const required = fields.filter((f) => !f.optional).map((f) => f.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** Every `$ref` string in a JSON value (for collecting and for tests). */
export function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}
