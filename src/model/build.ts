/**
 * Raw spec (already accepted by the JSON Schema) → SystemModel: type strings parsed,
 * defaults applied, ports assigned, durations in milliseconds, and the subscriptions and
 * publications a choreographed saga implies added to its services.
 *
 * The builder never reports problems: it records what it could not resolve
 * (`scope: 'unknown'`, empty `matches`) and the checks turn that into diagnostics.
 */
import type * as Raw from '../spec/raw.js';
import { deployOf } from './deploy.js';
import { hostedSagas } from './lookup.js';
import { parseDuration } from './duration.js';
import { defaultHandlerName, eventMatches } from './names.js';
import { parseTypeString, type Scope } from './type-string.js';
import type {
  BreakerPolicy,
  Call,
  Constraints,
  EventDef,
  Field,
  Gateway,
  HttpMethod,
  NamedSchema,
  Operation,
  Publication,
  RetryPolicy,
  Route,
  Saga,
  Service,
  ServiceFeatures,
  SpecPath,
  Subscription,
  SystemModel,
  TypeRef,
} from './types.js';

export const FIRST_SERVICE_PORT = 8001;
export const DEFAULT_GATEWAY_PORT = 8000;
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoff: 'exponential', minMs: 1000, maxMs: 10_000 };
export const DEFAULT_BREAKER: BreakerPolicy = { failMax: 5, resetTimeoutMs: 30_000 };

const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text) ?? fallback);

function retryOf(raw: Raw.RetryPolicy | undefined, base: RetryPolicy): RetryPolicy {
  return {
    attempts: raw?.attempts ?? base.attempts,
    backoff: raw?.backoff ?? base.backoff,
    minMs: ms(raw?.min, base.minMs),
    maxMs: ms(raw?.max, base.maxMs),
  };
}

function breakerOf(raw: Raw.CircuitBreaker | undefined, base: BreakerPolicy): BreakerPolicy {
  return { failMax: raw?.failMax ?? base.failMax, resetTimeoutMs: ms(raw?.resetTimeout, base.resetTimeoutMs) };
}

const CONSTRAINT_KEYS = ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'default', 'examples'] as const;

function fieldOf(name: string, raw: Raw.Field, scope: Scope, at: SpecPath): Field {
  if (typeof raw === 'string') {
    const parsed = parseTypeString(raw, scope);
    return { name, type: parsed.type, optional: parsed.optional, at };
  }
  const constraints: Record<string, unknown> = {};
  for (const key of CONSTRAINT_KEYS) if (raw[key] !== undefined) constraints[key] = raw[key];
  return {
    name,
    type: schemaObjectType(raw, scope, at),
    optional: raw.optional === true,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(Object.keys(constraints).length ? { constraints: constraints as Constraints } : {}),
    at,
  };
}

/** The object form of a field (`{ type: string, format: email }`) as a TypeRef. */
function schemaObjectType(raw: Raw.FieldSchema, scope: Scope, at: SpecPath): TypeRef {
  if (raw.enum) return { kind: 'enum', values: raw.enum };
  if (raw.properties) return { kind: 'object', fields: fieldsOf(raw.properties, scope, [...at, 'properties']) };
  switch (raw.type) {
    case 'array': {
      const items = raw.items === undefined ? 'string' : raw.items;
      return { kind: 'array', items: fieldOf('items', items, scope, [...at, 'items']).type };
    }
    case 'object':
      return { kind: 'object', fields: [] };
    case 'integer':
    case 'number':
    case 'boolean':
      return { kind: 'primitive', name: raw.type };
    default:
      return raw.format ? { kind: 'format', format: raw.format } : { kind: 'primitive', name: 'string' };
  }
}

function fieldsOf(raw: Record<string, Raw.Field> | undefined, scope: Scope, at: SpecPath): Field[] {
  return Object.entries(raw ?? {}).map(([name, value]) => fieldOf(name, value, scope, [...at, name]));
}

/** A type position: a type string or an inline map of fields. */
function typeOf(raw: string | Record<string, Raw.Field>, scope: Scope, at: SpecPath): TypeRef {
  return typeof raw === 'string' ? parseTypeString(raw, scope).type : { kind: 'object', fields: fieldsOf(raw, scope, at) };
}

function schemasOf(raw: Record<string, Raw.Schema> | undefined, owner: string, scope: Scope, at: SpecPath): NamedSchema[] {
  return Object.entries(raw ?? {}).map(([name, value]) => ({ name, owner, type: typeOf(value, scope, [...at, name]), at: [...at, name] }));
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The `{param}` names of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(PARAM)].map((m) => m[1]);
}

function operationOf(service: string, name: string, raw: Raw.Operation, scope: Scope, at: SpecPath): Operation {
  const space = raw.http.indexOf(' ');
  const method = raw.http.slice(0, space) as HttpMethod;
  const path = raw.http.slice(space + 1);
  const declaredParams = fieldsOf(raw.params, scope, [...at, 'params']);
  const declared = new Map(declaredParams.map((f) => [f.name, f]));
  const params = pathParams(path).map(
    (p): Field => declared.get(p) ?? { name: p, type: { kind: 'primitive', name: 'string' }, optional: false, at: [...at, 'http'] },
  );
  return {
    name,
    service,
    method,
    path,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    params,
    declaredParams,
    query: fieldsOf(raw.query, scope, [...at, 'query']),
    ...(raw.body !== undefined ? { body: typeOf(raw.body, scope, [...at, 'body']) } : {}),
    responses: Object.entries(raw.responses ?? {})
      .map(([status, type]) => ({ status: Number(status), type: typeOf(type, scope, [...at, 'responses', status]), at: [...at, 'responses', status] }))
      .sort((a, b) => a.status - b.status),
    ...(raw.renamedFrom !== undefined ? { renamedFrom: raw.renamedFrom } : {}),
    at,
  };
}

/**
 * Ports: a declared `port:` is kept; a service without one gets the port of its place in the
 * spec: the first service 8001, the second 8002, … (the gateway's port skipped). A declared
 * port never moves another service, so adding a service with a port changes nothing else; an
 * implicit port equal to a declared one is the `duplicate-port` error, naming both.
 */
export function assignPorts(services: ReadonlyArray<readonly [string, { readonly port?: number }]>, gatewayPort: number): Map<string, number> {
  const ports = new Map<string, number>();
  let slot = FIRST_SERVICE_PORT;
  for (const [name, s] of services) {
    if (slot === gatewayPort) slot++;
    ports.set(name, s.port ?? slot);
    slot++;
  }
  return ports;
}

export function buildModel(raw: Raw.Spec): SystemModel {
  const shared: Scope = { shared: new Set(Object.keys(raw.schemas ?? {})), local: new Set() };
  const defaults = {
    timeoutMs: ms(raw.defaults?.timeout, DEFAULT_TIMEOUT_MS),
    retry: retryOf(raw.defaults?.retry, DEFAULT_RETRY),
    breaker: breakerOf(raw.defaults?.breaker, DEFAULT_BREAKER),
  };
  const eventNames = Object.keys(raw.events ?? {});
  const eventSet = new Set(eventNames);
  // Most subscriptions name one event: only a pattern with `*` needs the whole list.
  const matching = (pattern: string): string[] =>
    pattern.includes('*') ? eventNames.filter((e) => eventMatches(pattern, e)) : eventSet.has(pattern) ? [pattern] : [];
  const serviceEntries = Object.entries(raw.services ?? {});
  const gatewayPort = raw.gateway?.port ?? DEFAULT_GATEWAY_PORT;
  const ports = assignPorts(serviceEntries, gatewayPort);

  const events: EventDef[] = Object.entries(raw.events ?? {}).map(([name, e]) => ({
    name,
    version: e.version ?? 1,
    ...(e.description !== undefined ? { description: e.description } : {}),
    payload: fieldsOf(e.payload, shared, ['events', name, 'payload']),
    at: ['events', name],
  }));

  const sagas: Saga[] = Object.entries(raw.sagas ?? {}).map(([name, s]): Saga => {
    const at = ['sagas', name];
    const description = s.description !== undefined ? { description: s.description } : {};
    if (s.style === 'orchestration') {
      const ref = (text: string, path: SpecPath) => {
        const [service, operation] = text.split('.');
        return { service, operation, at: path };
      };
      const steps = s.steps.map((st, i) => ({
        name: st.name,
        action: ref(st.action, [...at, 'steps', i, 'action']),
        ...(st.compensation ? { compensation: ref(st.compensation, [...at, 'steps', i, 'compensation']) } : {}),
        at: [...at, 'steps', i],
      }));
      return { style: 'orchestration', name, ...description, host: s.host ?? steps[0].action.service, input: fieldsOf(s.input, shared, [...at, 'input']), steps, at };
    }
    return {
      style: 'choreography',
      name,
      ...description,
      start: s.start,
      steps: s.steps.map((st, i) => ({ ...st, at: [...at, 'steps', i] })),
      compensations: (s.compensations ?? []).map((c, i) => ({ ...c, at: [...at, 'compensations', i] })),
      at,
    };
  });

  const unfeatured = serviceEntries.map(([name, s]): Omit<Service, 'features' | 'clients'> => {
    const at = ['services', name];
    const scope: Scope = { shared: shared.shared, local: new Set(Object.keys(s.schemas ?? {})) };
    const subscribes: Subscription[] = (s.subscribes ?? []).map((sub, i) => ({
      event: sub.event,
      handler: sub.handler ?? defaultHandlerName(sub.event),
      matches: matching(sub.event),
      origin: { kind: 'spec' },
      ...(sub.renamedFrom !== undefined ? { renamedFrom: sub.renamedFrom } : {}),
      at: [...at, 'subscribes', i],
    }));
    const publishes: Publication[] = (s.publishes ?? []).map((event, i) => ({ event, origin: { kind: 'spec' }, at: [...at, 'publishes', i] }));
    addChoreographyImplications(name, sagas, eventSet, subscribes, publishes);
    const calls: Call[] = Object.entries(s.calls ?? {}).map(([callee, c]) => ({
      service: callee,
      operations: c?.operations ?? Object.keys(raw.services?.[callee]?.operations ?? {}),
      timeoutMs: ms(c?.timeout, defaults.timeoutMs),
      retry: retryOf(c?.retry, defaults.retry),
      breaker: breakerOf(c?.breaker, defaults.breaker),
      fallback: c?.fallback === true,
      at: [...at, 'calls', callee],
    }));
    return {
      name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      port: ports.get(name)!,
      portDeclared: s.port !== undefined,
      database: s.database ?? 'none',
      persistence: s.persistence ?? 'state',
      schemas: schemasOf(s.schemas, name, scope, [...at, 'schemas']),
      operations: Object.entries(s.operations ?? {}).map(([op, o]) => operationOf(name, op, o, scope, [...at, 'operations', op])),
      publishes,
      subscribes,
      calls,
      at,
    };
  });
  const withClients = unfeatured.map((s) => ({ ...s, clients: clientsOf(s.name, s.calls, sagas, defaults) }));
  const byName = new Map(withClients.map((s) => [s.name, s]));
  // Who receives each event: the services whose subscriptions match it.
  const receivers = new Map<string, Set<string>>();
  for (const s of unfeatured) for (const sub of s.subscribes) for (const e of sub.matches) receivers.set(e, (receivers.get(e) ?? new Set()).add(s.name));
  const services: Service[] = withClients.map((s) => ({ ...s, features: featuresOf(s, byName, receivers, sagas) }));

  const g = raw.gateway;
  const gateway: Gateway = {
    kind: g?.kind ?? 'kong',
    port: gatewayPort,
    ...(g?.auth?.jwt ? { jwt: { ...g.auth.jwt } } : {}),
    ...(g?.rateLimit ? { rateLimit: { ...g.rateLimit } } : {}),
    rateLimitStore: g?.rateLimitStore ?? 'memory',
    ...(g?.cors ? { cors: { origins: g.cors.origins, methods: g.cors.methods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] } } : {}),
    routes: (g?.routes ?? []).map(
      (r, i): Route => ({
        path: r.path,
        ...(r.service !== undefined ? { service: r.service } : {}),
        ...(r.upstream !== undefined ? { upstream: r.upstream } : {}),
        stripPath: r.stripPath ?? false,
        upstreamPath: r.upstreamPath ?? '/',
        methods: r.methods ?? [],
        auth: r.auth ?? (g?.auth?.jwt ? 'jwt' : 'none'),
        ...(r.rateLimit ?? g?.rateLimit ? { rateLimit: { ...(r.rateLimit ?? g?.rateLimit) } } : {}),
        timeoutMs: ms(r.timeout, defaults.timeoutMs),
        at: ['gateway', 'routes', i],
      }),
    ),
    at: ['gateway'],
  };

  return deepFreeze({
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    defaults,
    broker: { kind: 'rabbitmq', exchange: raw.broker?.exchange ?? 'events' },
    discovery: raw.discovery?.kind ?? 'dns',
    schemas: schemasOf(raw.schemas, 'shared', shared, ['schemas']),
    services,
    events,
    sagas,
    gateway,
    deploy: deployOf(raw.deploy, raw.name, gateway),
  });
}

/**
 * A service's clients (see `Service.clients`): its `calls`, then a call per callee its hosted
 * sagas' steps name that `calls` lacks (in step order); a callee in both gets the steps'
 * operations added to the ones `calls` lists. A step on the host itself is a call too: the
 * `Idempotency-Key` is honoured at the HTTP layer.
 */
function clientsOf(service: string, calls: readonly Call[], sagas: readonly Saga[], defaults: SystemModel['defaults']): Call[] {
  const clients = calls.map((c) => ({ ...c, operations: [...c.operations] }));
  for (const saga of hostedSagas(sagas, service)) {
    for (const step of saga.steps) {
      for (const ref of [step.action, step.compensation]) {
        if (!ref) continue;
        let call = clients.find((c) => c.service === ref.service);
        if (!call) {
          call = { service: ref.service, operations: [], timeoutMs: defaults.timeoutMs, retry: defaults.retry, breaker: defaults.breaker, fallback: false, at: ref.at };
          clients.push(call);
        }
        if (!call.operations.includes(ref.operation)) call.operations.push(ref.operation);
      }
    }
  }
  return clients;
}

/** What the service's generated code provides (see ServiceFeatures). */
function featuresOf(
  service: Omit<Service, 'features'>,
  byName: ReadonlyMap<string, Omit<Service, 'features'>>,
  receivers: ReadonlyMap<string, ReadonlySet<string>>,
  sagas: readonly Saga[],
): ServiceFeatures {
  const reachable = (call: Call): boolean => {
    const callee = byName.get(call.service);
    return callee !== undefined && call.operations.some((op) => callee.operations.some((o) => o.name === op));
  };
  const calls = service.clients.filter((c) => byName.has(c.service));
  return {
    database: service.database !== 'none',
    clients: calls.length > 0,
    fallbacks: calls.some((c) => c.fallback && reachable(c)),
    publishes: service.publishes.length > 0,
    subscribes: service.subscribes.length > 0,
    received: service.publishes.some((p) => [...(receivers.get(p.event) ?? [])].some((s) => s !== service.name)),
    sagas: hostedSagas(sagas, service.name).length > 0,
  };
}

/**
 * A choreography names which service reacts to which event and what it emits: the service
 * therefore subscribes to `when` and publishes `emits`/`fails`, whether or not its own
 * block says so. Explicit declarations win; implied ones remember the saga.
 */
function addChoreographyImplications(service: string, sagas: Saga[], events: ReadonlySet<string>, subscribes: Subscription[], publishes: Publication[]): void {
  for (const saga of sagas) {
    if (saga.style !== 'choreography') continue;
    const origin = { kind: 'saga', saga: saga.name } as const;
    const reactions = [...saga.steps, ...saga.compensations];
    for (const r of reactions) {
      if (r.service !== service) continue;
      // A subscription whose pattern already covers the event (`order.*`) receives it: one queue, not two.
      if (!subscribes.some((s) => eventMatches(s.event, r.when))) {
        subscribes.push({
          event: r.when,
          handler: defaultHandlerName(r.when),
          matches: events.has(r.when) ? [r.when] : [],
          origin,
          ...(r.renamedFrom !== undefined ? { renamedFrom: r.renamedFrom } : {}),
          at: [...r.at, 'when'],
        });
      }
      const fails: string | undefined = 'fails' in r ? (r.fails as string | undefined) : undefined;
      const outs: [string | undefined, string][] = [[r.emits, 'emits'], [fails, 'fails']];
      for (const [event, key] of outs) {
        if (event && !publishes.some((p) => p.event === event)) publishes.push({ event, origin, at: [...r.at, key] });
      }
    }
  }
}

/**
 * Every generator reads the one model; frozen, a generator that mutates it fails at once
 * instead of quietly changing what the next generator sees.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
