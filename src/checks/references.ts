/**
 * Names that must resolve: services (`unknown-service`), operations (`unknown-operation`),
 * events (`unknown-event`) and schemas (`unknown-schema`), each with a "did you mean".
 */
import { BUILTIN_TYPE_WORDS, walkType } from '../model/type-string.js';
import type { Field, NamedSchema, OperationRef, SpecPath, SystemModel, TypeRef } from '../model/types.js';
import { didYouMean } from '../util/suggest.js';
import { error, type Finding } from './finding.js';

export function checkServiceReferences(model: SystemModel): Finding[] {
  const names = model.services.map((s) => s.name);
  const known = new Set(names);
  const out: Finding[] = [];
  // `what` ends in its own verb ("route /x names", "service a calls"): "service a calls names service b" read badly.
  const need = (name: string, at: SpecPath, what: string, anchor?: 'key') => {
    if (!known.has(name)) out.push(error('unknown-service', at, `${what} service "${name}", which is not declared${didYouMean(name, names)}`, anchor));
  };
  for (const s of model.services) for (const c of s.calls) need(c.service, c.at, `service ${s.name} calls`, 'key');
  for (const r of model.gateway.routes) if (r.service !== undefined) need(r.service, [...r.at, 'service'], `route ${r.path} names`);
  for (const saga of model.sagas) {
    if (saga.style === 'orchestration') {
      need(saga.host, [...saga.at, 'host'], `saga ${saga.name} host names`);
      for (const st of saga.steps) {
        need(st.action.service, st.action.at, `saga ${saga.name} step ${st.name} names`);
        if (st.compensation) need(st.compensation.service, st.compensation.at, `saga ${saga.name} step ${st.name} compensation names`);
      }
    } else {
      for (const st of [...saga.steps, ...saga.compensations]) need(st.service, [...st.at, 'service'], `saga ${saga.name} names`);
    }
  }
  for (const o of model.deploy.kubernetes?.services ?? []) need(o.service, o.at, 'deploy.kubernetes.services names', 'key');
  return out;
}

export function checkOperationReferences(model: SystemModel): Finding[] {
  const byService = new Map(model.services.map((s) => [s.name, s.operations.map((o) => o.name)]));
  const out: Finding[] = [];
  const need = (service: string, operation: string, at: SpecPath, what: string) => {
    const ops = byService.get(service);
    if (ops && !ops.includes(operation)) {
      out.push(error('unknown-operation', at, `${what} names operation "${operation}", which service ${service} does not have${didYouMean(operation, ops)}`));
    }
  };
  for (const s of model.services) {
    for (const c of s.calls) c.operations.forEach((op, i) => need(c.service, op, [...c.at, 'operations', i], `service ${s.name} calls ${c.service} and`));
  }
  for (const saga of model.sagas) {
    if (saga.style !== 'orchestration') continue;
    const refs: [OperationRef | undefined, string][] = saga.steps.flatMap((st) => [
      [st.action, `saga ${saga.name} step ${st.name}`],
      [st.compensation, `saga ${saga.name} step ${st.name} compensation`],
    ]);
    for (const [ref, what] of refs) if (ref) need(ref.service, ref.operation, ref.at, what);
  }
  return out;
}

export function checkEventReferences(model: SystemModel): Finding[] {
  const names = model.events.map((e) => e.name);
  const known = new Set(names);
  const out: Finding[] = [];
  // `what` ends in its own verb, as for services above.
  const need = (event: string | undefined, at: SpecPath, what: string) => {
    if (event !== undefined && !known.has(event)) out.push(error('unknown-event', at, `${what} event "${event}", which is not declared${didYouMean(event, names)}`));
  };
  for (const s of model.services) {
    for (const p of s.publishes) if (p.origin.kind === 'spec') need(p.event, p.at, `service ${s.name} publishes`);
    for (const sub of s.subscribes) {
      if (sub.origin.kind !== 'spec') continue;
      if (!sub.event.includes('*')) need(sub.event, [...sub.at, 'event'], `service ${s.name} subscribes to`);
      else if (sub.matches.length === 0) out.push(error('unknown-event', [...sub.at, 'event'], `service ${s.name} subscribes to "${sub.event}", which matches no declared event`));
    }
  }
  for (const saga of model.sagas) {
    if (saga.style !== 'choreography') continue;
    need(saga.start, [...saga.at, 'start'], `saga ${saga.name} starts with`);
    for (const st of saga.steps) {
      need(st.when, [...st.at, 'when'], `saga ${saga.name}: service ${st.service} waits for`);
      need(st.emits, [...st.at, 'emits'], `saga ${saga.name}: service ${st.service} emits`);
      need(st.fails, [...st.at, 'fails'], `saga ${saga.name}: service ${st.service} fails with`);
    }
    for (const c of saga.compensations) {
      need(c.when, [...c.at, 'when'], `saga ${saga.name}: the compensation of service ${c.service} waits for`);
      need(c.emits, [...c.at, 'emits'], `saga ${saga.name}: the compensation of service ${c.service} emits`);
    }
  }
  return out;
}

export function checkSchemaReferences(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const sharedNames = model.schemas.map((s) => s.name);
  const visit = (type: TypeRef | undefined, at: SpecPath, local: readonly NamedSchema[]) => {
    if (!type) return;
    for (const t of walkType(type)) {
      if (t.kind === 'ref' && t.scope === 'unknown') {
        const candidates = [...sharedNames, ...local.map((s) => s.name), ...BUILTIN_TYPE_WORDS];
        out.push(error('unknown-schema', at, `type "${t.name}" is not a declared schema or a built-in type${didYouMean(t.name, candidates)}`));
      }
    }
    // Fields of inline objects carry their own paths: report there, not at the parent.
  };
  const visitFields = (fields: readonly Field[], local: readonly NamedSchema[]) => {
    for (const f of fields) {
      if (f.type.kind === 'object') visitFields(f.type.fields, local);
      else if (f.type.kind === 'array' && f.type.items.kind === 'object') visitFields(f.type.items.fields, local);
      else visit(f.type, f.at, local);
    }
  };
  const visitType = (type: TypeRef | undefined, at: SpecPath, local: readonly NamedSchema[]) => {
    if (type?.kind === 'object') visitFields(type.fields, local);
    else visit(type, at, local);
  };
  for (const s of model.schemas) visitType(s.type, s.at, []);
  for (const e of model.events) visitFields(e.payload, []);
  for (const saga of model.sagas) if (saga.style === 'orchestration') visitFields(saga.input, []);
  for (const svc of model.services) {
    for (const s of svc.schemas) visitType(s.type, s.at, svc.schemas);
    for (const op of svc.operations) {
      visitFields(op.declaredParams, svc.schemas);
      visitFields(op.query, svc.schemas);
      visitType(op.body, [...op.at, 'body'], svc.schemas);
      for (const r of op.responses) visitType(r.type, r.at, svc.schemas);
    }
  }
  return out;
}
