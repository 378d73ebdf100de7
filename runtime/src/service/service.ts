/**
 * A service's life: open what it depends on, build the context and the user's handlers, serve
 * HTTP (routes, `/health`), register with Consul, and stop gracefully.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { settingOf } from '../env.js';
import { errorBody } from '../errors.js';
import { registerWithConsul, type Registration } from '../discovery/consul.js';
import { eventBus, type EventBus } from '../events/bus.js';
import { ServiceCaller } from '../http/caller.js';
import { serviceEndpoint } from '../http/endpoint.js';
import { createLogger } from '../logger.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../request-id.js';
import { healthReport, type Resource } from '../resource.js';
import type { ClientDeps, ContextOf, HandlerFactories, ResourceClients, ResourceFactories, ServiceDefinition } from './definition.js';
import { openIdempotency, type IdempotencyStore } from './idempotency.js';
import type { AnySagaDefinition } from '../saga/definition.js';
import { createSagaEngine, type SagaEngine } from '../saga/engine.js';
import { postgresSagaStore } from '../saga/postgres-store.js';
import { sagaRoutes } from '../saga/routes.js';
import { memorySagaStore } from '../saga/store.js';
import { serviceRoutes } from './routes.js';

/** A service's Fastify server, logging with the service's pino logger. */
export type ServiceApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;

/** A start-up failure worth one line (a port in use), not a stack trace. */
export class StartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}

export interface ServiceOptions<Ctx, Ops, Events, Fallbacks, Sagas = unknown> {
  /** Default `process.env`, after reading the nearest `.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Your own factories, to pass your own dependencies to a handler class. */
  readonly handlers?: Partial<HandlerFactories<Ctx, Ops, Events, Fallbacks, Sagas>>;
  /** True when other services share this process: only `<SERVICE>_`-prefixed settings are read. */
  readonly shared?: boolean;
}

export interface RunningService<Ctx> {
  readonly name: string;
  readonly app: ServiceApp;
  readonly ctx: Ctx;
  /** Where it listens (`http://127.0.0.1:8001`). */
  readonly url: string;
  /** What it depends on (its database, the broker…), opened. */
  readonly resources: readonly Resource[];
  /** Graceful stop (what SIGTERM does, without exiting the process). */
  stop(): Promise<void>;
}

/** An opened service: its context and handlers are built and its resources open, but nothing listens yet. */
export interface OpenedService<Ctx, Ops, Events> {
  readonly name: string;
  readonly ctx: Ctx;
  readonly logger: Logger;
  readonly operations: Ops;
  readonly events: Events | undefined;
  readonly resources: readonly Resource[];
  /** The service's events (the `broker` resource), when it has any. */
  readonly bus: EventBus<unknown> | undefined;
  /** Where its routes keep `Idempotency-Key`s: its PostgreSQL, else memory. */
  readonly idempotency: IdempotencyStore;
  /** The engines of the sagas it hosts (also among `resources`). */
  readonly sagas: readonly SagaEngine<unknown>[];
  readonly setting: (name: string) => string | undefined;
  /** Closes the resources, last opened first. */
  close(): Promise<void>;
}

/** Opens the resources and builds the context and handlers; then starts the events, if any. */
export async function openService<Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks, Published, Sagas>(
  def: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks, Published, Sagas>,
  options: ServiceOptions<ContextOf<Name, R, Clients, Published>, Ops, Events, Fallbacks, Sagas> = {},
): Promise<OpenedService<ContextOf<Name, R, Clients, Published>, Ops, Events>> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(def.name);
  const setting = settingOf(def.name, env, options.shared === true);
  const opened: Resource[] = [];
  const clients: Partial<Record<keyof R, unknown>> = {};
  const close = async (): Promise<void> => {
    for (const r of [...opened].reverse()) {
      try {
        await r.close();
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message } }, `closing ${r.name} failed`);
      }
    }
  };
  for (const [property, factory] of Object.entries(def.resources) as [keyof R & string, R[keyof R]][]) {
    const resource = factory({ service: def.name, logger, setting, devDataDir: env.MICROGEN_DEV_DATA || undefined });
    await resource.open();
    opened.push(resource);
    clients[property] = resource.client;
  }
  const factories = { ...def.handlers, ...options.handlers };
  let fallbacks: Fallbacks | undefined;
  let events: Events | undefined;
  const deps: ClientDeps<Fallbacks> = {
    caller: (callee, localPort, policy) => new ServiceCaller(callee, policy, serviceEndpoint(def.discovery, callee, localPort, env, logger), logger),
    fallbacks: () => {
      if (fallbacks === undefined) throw new Error(`${def.name} has no fallbacks to answer with`);
      return fallbacks;
    },
  };
  let bus: EventBus<Published> | undefined;
  // The runtime's own records (idempotency keys, sagas) live in the service's PostgreSQL, if any.
  const database = opened.find((r) => r.postgres !== undefined)?.postgres;
  let idempotency: IdempotencyStore;
  try {
    idempotency = await openIdempotency({ service: def.name, logger, setting, database });
  } catch (err) {
    await close();
    throw new StartError(`${def.name} cannot start: ${(err as Error).message}`, { cause: err });
  }
  try {
    // The outbox and inbox live in the service's database when it offers them (PostgreSQL).
    const store = opened.find((r) => r.eventStore !== undefined)?.eventStore;
    // One broker serves the whole system: in a shared process a plain BROKER_URL (and EVENT_*) holds
    // for every service, unless `<SERVICE>_BROKER_URL` says otherwise.
    const eventSetting = (name: string): string | undefined => setting(name) ?? (env[name] || undefined);
    if (def.events) bus = await eventBus({ service: def.name, definition: def.events, logger, setting: eventSetting, store, handlers: () => events });
  } catch (err) {
    await close();
    throw new StartError(`${def.name} cannot start its events: ${(err as Error).message}`, { cause: err });
  }
  const base = {
    service: def.name,
    logger,
    clients: def.clients(deps),
    ...(clients as ResourceClients<R>),
  };
  // `publish` is in the context exactly when the service publishes (see ContextOf).
  const ctx = (bus?.publish ? { ...base, publish: bus.publish } : base) as ContextOf<Name, R, Clients, Published>;
  fallbacks = factories.fallbacks?.(ctx);
  const operations = factories.operations(ctx);
  events = factories.events?.(ctx);
  if (bus) {
    // Last opened, first closed: consumers stop (and finish what they hold) before the database closes.
    try {
      await bus.open();
    } catch (err) {
      await close();
      throw new StartError(`${def.name} cannot start its events: ${(err as Error).message}`, { cause: err });
    }
    opened.push(bus);
  }
  // Opened last, closed first: the steps in flight finish while the clients and the database are there.
  const sagaStore = database ? postgresSagaStore(database) : memorySagaStore();
  let definitions: readonly AnySagaDefinition[];
  try {
    definitions = hostedSagas(def.name, def.sagas, factories.sagas, ctx);
  } catch (err) {
    await close();
    throw err;
  }
  const sagas = definitions.map((definition) => createSagaEngine({ definition, store: sagaStore, logger, setting }));
  if (sagas.length > 0 && !database) {
    const names = sagas.map((e) => e.definition.name).join(', ');
    logger.warn({ sagas: sagas.map((e) => e.definition.name) }, `${def.name} keeps its sagas (${names}) in memory: a restart forgets the sagas running then (give ${def.name} \`database: postgres\` to keep them)`);
  }
  for (const engine of sagas) {
    try {
      await engine.open();
    } catch (err) {
      await close();
      throw new StartError(`${def.name} cannot start its saga ${engine.definition.name}: ${(err as Error).message}`, { cause: err });
    }
    opened.push(engine);
  }
  return {
    name: def.name,
    ctx,
    logger,
    operations,
    events,
    resources: opened,
    bus: bus as EventBus<unknown> | undefined,
    idempotency,
    sagas,
    setting,
    close,
  };
}

/** The definitions of the sagas a service hosts, given the classes of their steps that `handlers.sagas` builds. */
function hostedSagas<Ctx, Sagas>(
  service: string,
  sagas: ((ctx: Ctx, handlers: Sagas) => readonly AnySagaDefinition[]) | undefined,
  handlers: ((ctx: Ctx) => Sagas) | undefined,
  ctx: Ctx,
): readonly AnySagaDefinition[] {
  if (!sagas) return [];
  if (!handlers) throw new StartError(`${service} hosts sagas but was given no \`handlers.sagas\` to build their steps`);
  return sagas(ctx, handlers(ctx));
}

/** The Fastify server of one service: its routes, `GET /health`, and a 404 in the `Error` shape. */
export function serviceApp<Ctx, Ops, Events>(
  def: { readonly components: readonly object[]; readonly routes: ServiceDefinition<string, ResourceFactories, unknown, Ops, unknown, unknown>['routes']; readonly events?: { readonly publishes?: object } },
  opened: OpenedService<Ctx, Ops, Events>,
  state: { draining: boolean } = { draining: false },
): ServiceApp {
  const app = Fastify({ loggerInstance: opened.logger, genReqId: (req) => requestIdOf(req.headers) });
  // A service that publishes tags each event with the request that caused it.
  app.register(serviceRoutes<Ops>, {
    components: def.components,
    routes: def.routes,
    operations: opened.operations,
    trackRequestId: def.events?.publishes !== undefined,
    idempotency: opened.idempotency,
  });
  if (opened.sagas.length > 0) app.register(sagaRoutes, { engines: opened.sagas, components: def.components });
  app.get('/health', { logLevel: 'warn' }, async (request, reply) => {
    const report = await healthReport(opened.resources, request.log);
    const status = state.draining ? 'stopping' : report.status;
    return reply
      .header(REQUEST_ID_HEADER, request.id)
      .code(status === 'ok' ? 200 : 503)
      .send({ ...report, status });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .header(REQUEST_ID_HEADER, request.id)
      .code(404)
      .send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  return app;
}

/**
 * Listens on host:port and resolves with the port bound (port 0 picks one). A port in use or
 * denied is a StartError: one line, not a stack trace.
 */
export async function listen(app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>, name: string, host: string, port: number): Promise<number> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StartError(`${name} cannot listen on ${host}:${port}: the port is already in use`, { cause: err });
    if (code === 'EACCES') throw new StartError(`${name} cannot listen on ${host}:${port}: permission denied`, { cause: err });
    throw err;
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** `http://127.0.0.1:8001` (an IPv6 host in brackets). */
export const urlOf = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** How long a graceful stop may take before the process gives up (`SHUTDOWN_TIMEOUT_MS`). */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Opens the service and listens on `HOST`:`PORT` (default 127.0.0.1 and the spec's port). With
 * `CONSUL_URL` set (and `discovery: consul`), registers with Consul.
 */
export async function runService<Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks, Published, Sagas>(
  def: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks, Published, Sagas>,
  options: ServiceOptions<ContextOf<Name, R, Clients, Published>, Ops, Events, Fallbacks, Sagas> = {},
): Promise<RunningService<ContextOf<Name, R, Clients, Published>>> {
  const env = options.env ?? process.env;
  const opened = await openService(def, { ...options, env });
  const state = { draining: false };
  const app = serviceApp(def, opened, state);
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(opened.setting('PORT') ?? def.port);
  let boundPort: number;
  try {
    boundPort = await listen(app, def.name, host, port);
  } catch (err) {
    await opened.close();
    throw err;
  }
  let registration: Registration | undefined;
  if (def.discovery === 'consul' && env.CONSUL_URL) {
    registration = await registerWithConsul({ consulUrl: env.CONSUL_URL, service: def.name, host, port: boundPort, logger: opened.logger, env });
  }
  let stopping: Promise<void> | undefined;
  const drainMs = Number(opened.setting('SHUTDOWN_DELAY_MS') ?? 0);
  return {
    name: def.name,
    app,
    ctx: opened.ctx,
    url: urlOf(host, boundPort),
    resources: opened.resources,
    stop: () =>
      (stopping ??= (async () => {
        // Fail readiness first, so a load balancer stops sending before the server stops taking.
        state.draining = true;
        if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
        await registration?.deregister();
        await closeServer(app);
        await opened.close();
      })()),
  };
}

/**
 * Stops taking requests and waits for those in flight. A keep-alive connection whose request
 * finishes after the close began would otherwise hold the server open until its idle timeout
 * (72 s in Fastify), so idle connections are swept until the server has closed.
 */
export async function closeServer(app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

/** Stops on SIGTERM or SIGINT: what is in flight finishes, then the process exits 0 (1 if that takes too long). */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs: number = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? SHUTDOWN_TIMEOUT_MS)): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals | 'disconnect'): void => {
    if (stopping) return;
    stopping = true;
    logger.info(signal === 'disconnect' ? { reason: 'the process that started it is gone' } : { signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => {
        logger.info('stopped');
        // With its supervisor gone, stdout has no reader: pino's flush at exit would retry the
        // broken pipe forever (sonic-boom 4 retries any error there), so nothing is left to do
        // but end now. Everything was closed above.
        if (signal === 'disconnect') process.kill(process.pid, 'SIGKILL');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Started by a supervisor over an IPC channel (`microgen dev`): when the supervisor dies without
  // stopping it (killed, its terminal closed), the channel closes and this process stops as on
  // SIGTERM instead of running on unseen. The channel alone does not keep the process alive.
  if (process.channel) {
    // Listen first: Node starts reading the channel (and refs it) when the listener is added.
    process.once('disconnect', () => onSignal('disconnect'));
    process.channel.unref();
  }
}
