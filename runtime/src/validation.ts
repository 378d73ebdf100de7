/**
 * Input validation, stricter than Fastify's default: path parameters and query strings arrive as
 * text, so they are coerced to the declared types (`?limit=5` is the integer 5), but a JSON body
 * is not: `{ "name": 5 }` for a string field is a 400, not the string "5". Otherwise as Fastify
 * does it (defaults applied, undeclared properties removed, the first error reported).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/** ajv-formats is CommonJS with a `default` in its typings; under NodeNext the function is the module itself. */
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

export type ValidatorCompiler = (route: { schema: object; httpPart?: string }) => ValidateFunction;

/** A compiler for Fastify's `setValidatorCompiler`, knowing the service's shared schemas. */
export function validatorCompiler(components: readonly object[]): ValidatorCompiler {
  const make = (coerceTypes: false | 'array'): Ajv => {
    const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: true, allErrors: false, addUsedSchema: false });
    addFormats(ajv);
    for (const schema of components) ajv.addSchema(schema);
    return ajv;
  };
  const text = make('array');
  const json = make(false);
  return ({ schema, httpPart }) => (httpPart === 'body' ? json : text).compile(schema);
}
