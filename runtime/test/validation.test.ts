/**
 * schemaCompiler: the Ajv instances of services check each schema against JSON Schema's
 * meta-schema through one checker per process; a schema that is not JSON Schema is still refused,
 * in every instance, whether shared or compiled.
 */
import { describe, expect, it } from 'vitest';
import { schemaCompiler } from '../src/validation.js';

const USER = { $id: 'User', type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] };

describe('schemaCompiler', () => {
  it('compiles schemas that refer to the shared ones, with formats', () => {
    for (const options of [{ coerceTypes: 'array' as const }, { strict: false }]) {
      const { compile } = schemaCompiler(options, [USER]);
      const validate = compile({ type: 'object', properties: { user: { $ref: 'User#' } }, required: ['user'] });
      expect(validate({ user: { email: 'ada@example.com' } })).toBe(true);
      expect(validate({ user: { email: 'not an address' } })).toBe(false);
    }
  });

  it('refuses a schema that is not JSON Schema, in each instance, as Ajv itself does', () => {
    // Only the meta-schema says so: compiling alone would ignore a title.
    const bad = { type: 'object', properties: { n: { type: 'number', title: 5 } } };
    expect(() => schemaCompiler({}, [USER]).compile(bad)).toThrow(/^schema is invalid: data\/properties\/n\/title must be string$/);
    expect(() => schemaCompiler({}, [USER]).compile(bad)).toThrow('schema is invalid');
    expect(() => schemaCompiler({ strict: false }, [{ $id: 'Bad', type: 'object', required: 'email' }])).toThrow('schema is invalid: data/required must be array');
  });
});
