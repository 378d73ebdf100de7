/**
 * Finding services by name in a model. The model is immutable, so the index is built once per
 * model and kept beside it: generators and checks that look a service up per call, route or step
 * stay linear in the size of the spec (a scan per lookup made a 500-service lint quadratic).
 */
import type { Saga, Service, SystemModel } from './types.js';

const indexes = new WeakMap<SystemModel, ReadonlyMap<string, { readonly service: Service; readonly position: number }>>();

function indexOf(model: SystemModel): ReadonlyMap<string, { readonly service: Service; readonly position: number }> {
  let index = indexes.get(model);
  if (!index) {
    index = new Map(model.services.map((service, position) => [service.name, { service, position }]));
    indexes.set(model, index);
  }
  return index;
}

/** The service of that name, if the spec declares one. */
export const serviceNamed = (model: SystemModel, name: string): Service | undefined => indexOf(model).get(name)?.service;

/** The declared services among `names`, each once, in the spec's order. */
export function servicesNamed(model: SystemModel, names: Iterable<string>): Service[] {
  const index = indexOf(model);
  const found = [...new Set(names)].flatMap((name) => {
    const entry = index.get(name);
    return entry ? [entry] : [];
  });
  return found.sort((a, b) => a.position - b.position).map((entry) => entry.service);
}

export type Orchestration = Extract<Saga, { readonly style: 'orchestration' }>;

/** The orchestrated sagas `service` hosts, in the spec's order. */
export const hostedSagas = (sagas: readonly Saga[], service: string): Orchestration[] =>
  sagas.filter((s): s is Orchestration => s.style === 'orchestration' && s.host === service);
