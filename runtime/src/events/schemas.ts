/**
 * Payload validation, on publish and on receipt, with the events' JSON Schemas (from the same
 * model as the AsyncAPI document). Unlike HTTP input nothing is coerced or removed: an event is
 * checked, not repaired.
 */
import type { ValidateFunction } from 'ajv';
import { schemaCompiler } from '../validation.js';
import type { EventSpec } from './definition.js';

export type PayloadCheck = (payload: unknown) => string | undefined;

/** Compiles each event's schema once; a check returns undefined or what is wrong. */
export function payloadChecks(shared: readonly object[], events: Readonly<Record<string, EventSpec>>): Map<string, PayloadCheck> {
  const { ajv, compile } = schemaCompiler({ allErrors: false, addUsedSchema: false, strict: false }, shared);
  const checks = new Map<string, PayloadCheck>();
  for (const [name, spec] of Object.entries(events)) {
    const validate: ValidateFunction = compile(spec.schema);
    checks.set(name, (payload) => (validate(payload) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'payload' })));
  }
  return checks;
}
