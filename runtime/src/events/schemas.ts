/**
 * Payload validation, on publish and on receipt, with the events' JSON Schemas (from the same
 * model as the AsyncAPI document). Unlike HTTP input nothing is coerced or removed: an event is
 * checked, not repaired.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { EventSpec } from './definition.js';

/** ajv-formats is CommonJS with a `default` in its typings; under NodeNext the function is the module itself. */
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

export type PayloadCheck = (payload: unknown) => string | undefined;

/** Compiles each event's schema once; a check returns undefined or what is wrong. */
export function payloadChecks(shared: readonly object[], events: Readonly<Record<string, EventSpec>>): Map<string, PayloadCheck> {
  const ajv = new Ajv({ allErrors: false, addUsedSchema: false, strict: false });
  addFormats(ajv);
  for (const schema of shared) ajv.addSchema(schema);
  const checks = new Map<string, PayloadCheck>();
  for (const [name, spec] of Object.entries(events)) {
    const validate: ValidateFunction = ajv.compile(spec.schema);
    checks.set(name, (payload) => (validate(payload) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'payload' })));
  }
  return checks;
}
