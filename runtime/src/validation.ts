/**
 * Input validation, stricter than Fastify's default: path parameters and query strings arrive as
 * text, so they are coerced to the declared types (`?limit=5` is the integer 5), but a JSON body
 * is not: `{ "name": 5 }` for a string field is a 400, not the string "5". Otherwise as Fastify
 * does it (defaults applied, undeclared properties removed, the first error reported).
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/** ajv-formats is CommonJS with a `default` in its typings; under NodeNext the function is the module itself. */
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

/** Checks schemas against JSON Schema's meta-schema for every Ajv of the process (see schemaCompiler). */
let metaChecker: Ajv | undefined;

function checkSchema(schema: object): void {
  metaChecker ??= new Ajv();
  if (!metaChecker.validateSchema(schema)) throw new Error(`schema is invalid: ${metaChecker.errorsText(metaChecker.errors)}`);
}

/** Compiles schemas that may refer to the shared ones (`Name#`); `ajv` for its errorsText. */
export interface SchemaCompiler {
  readonly ajv: Ajv;
  compile(schema: object): ValidateFunction;
}

/**
 * An Ajv with the JSON Schema formats and the `shared` schemas. Each schema is checked against
 * the meta-schema as Ajv does, but by one checker per process: an Ajv that checks its own
 * compiles the meta-schema first, most of what a new one costs (~10 ms), and a system in one
 * process makes a few per service at start.
 */
export function schemaCompiler(options: Options, shared: readonly object[]): SchemaCompiler {
  const ajv = new Ajv({ ...options, validateSchema: false });
  addFormats(ajv);
  for (const schema of shared) {
    checkSchema(schema);
    ajv.addSchema(schema);
  }
  return {
    ajv,
    compile: (schema) => {
      checkSchema(schema);
      return ajv.compile(schema);
    },
  };
}

export type ValidatorCompiler = (route: { schema: object; httpPart?: string }) => ValidateFunction;

/** A compiler for Fastify's `setValidatorCompiler`, knowing the service's shared schemas. */
export function validatorCompiler(components: readonly object[]): ValidatorCompiler {
  const make = (coerceTypes: false | 'array') => schemaCompiler({ coerceTypes, useDefaults: true, removeAdditional: true, allErrors: false, addUsedSchema: false }, components);
  const text = make('array');
  const json = make(false);
  return ({ schema, httpPart }) => (httpPart === 'body' ? json : text).compile(schema);
}
