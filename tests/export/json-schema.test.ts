import { describe, expect, it } from 'vitest';
import { fieldsToObjectSchema, typeToJsonSchema } from '../../src/export/json-schema.js';
import type { Field, TypeRef } from '../../src/model/types.js';

const f = (name: string, type: TypeRef, optional = false, extra: Partial<Field> = {}): Field => ({ name, type, optional, at: [], ...extra });

describe('typeToJsonSchema', () => {
  it.each<[string, TypeRef, unknown]>([
    ['primitive', { kind: 'primitive', name: 'integer' }, { type: 'integer' }],
    ['format', { kind: 'format', format: 'date-time' }, { type: 'string', format: 'date-time' }],
    ['enum', { kind: 'enum', values: ['a', 'b'] }, { type: 'string', enum: ['a', 'b'] }],
    ['array of refs', { kind: 'array', items: { kind: 'ref', name: 'Item', scope: 'shared' } }, { type: 'array', items: { $ref: '#/components/schemas/Item' } }],
    ['nested arrays', { kind: 'array', items: { kind: 'array', items: { kind: 'primitive', name: 'number' } } }, { type: 'array', items: { type: 'array', items: { type: 'number' } } }],
  ])('%s', (_name, type, schema) => {
    expect(typeToJsonSchema(type)).toEqual(schema);
  });

  it('takes a ref prefix or a naming function', () => {
    const ref: TypeRef = { kind: 'ref', name: 'User', scope: 'service' };
    expect(typeToJsonSchema(ref, '#/$defs/')).toEqual({ $ref: '#/$defs/User' });
    expect(typeToJsonSchema(ref, (r) => `#/x/${r.scope}.${r.name}`)).toEqual({ $ref: '#/x/service.User' });
  });
});

describe('fieldsToObjectSchema', () => {
  it('optional fields are not required; order is kept; constraints and descriptions are carried', () => {
    const schema = fieldsToObjectSchema([
      f('name', { kind: 'primitive', name: 'string' }, false, { description: 'Full name', constraints: { minLength: 1, maxLength: 80 } }),
      f('age', { kind: 'primitive', name: 'integer' }, true, { constraints: { minimum: 0, default: 18 } }),
      f('tags', { kind: 'array', items: { kind: 'primitive', name: 'string' } }, true, { constraints: { maxItems: 5, examples: [['a']] } }),
    ]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Full name', minLength: 1, maxLength: 80 },
        age: { type: 'integer', minimum: 0, default: 18 },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5, examples: [['a']] },
      },
      required: ['name'],
    });
    expect(Object.keys(schema.properties as object)).toEqual(['name', 'age', 'tags']);
  });

  it('no required list when every field is optional; inline objects nest', () => {
    expect(fieldsToObjectSchema([f('a', { kind: 'object', fields: [f('b', { kind: 'primitive', name: 'boolean' })] }, true)])).toEqual({
      type: 'object',
      properties: { a: { type: 'object', properties: { b: { type: 'boolean' } }, required: ['b'] } },
    });
  });
});
