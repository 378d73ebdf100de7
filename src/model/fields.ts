/** Every field a spec declares, wherever it is (schemas, events, saga inputs, operations), nested ones included. */
import type { Field, SystemModel, TypeRef } from './types.js';

function* fieldsOfType(type: TypeRef | undefined): Generator<Field> {
  if (type?.kind === 'object') yield* nested(type.fields);
  else if (type?.kind === 'array') yield* fieldsOfType(type.items);
}

function* nested(fields: readonly Field[]): Generator<Field> {
  for (const f of fields) {
    yield f;
    yield* fieldsOfType(f.type);
  }
}

export function* everyField(model: SystemModel): Generator<Field> {
  for (const s of model.schemas) yield* fieldsOfType(s.type);
  for (const e of model.events) yield* nested(e.payload);
  for (const saga of model.sagas) if (saga.style === 'orchestration') yield* nested(saga.input);
  for (const svc of model.services) {
    for (const s of svc.schemas) yield* fieldsOfType(s.type);
    for (const op of svc.operations) {
      yield* nested(op.declaredParams);
      yield* nested(op.query);
      yield* fieldsOfType(op.body);
      for (const r of op.responses) yield* fieldsOfType(r.type);
    }
  }
}
