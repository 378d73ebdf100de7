/**
 * What a generated service hands the runtime: its name and port, its routes, what it depends on,
 * how to build its clients and how to build the user's handler classes. Everything else (the
 * HTTP server, validation, health, discovery, shutdown) is the same for every service and lives
 * here, once.
 */
import type { FastifySchema } from 'fastify';
import type { Logger } from 'pino';
import type { EventsDefinition, PublishOf } from '../events/definition.js';
import type { CallPolicy, HttpReply, ServiceCaller } from '../http/caller.js';
import type { ResourceFactory } from '../resource.js';
import type { AnySagaDefinition } from '../saga/definition.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** What an operation handler receives. The generated request types narrow each part. */
export interface OperationRequest {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  /** The request id (from `x-request-id`, or generated), for logs and downstream calls. */
  readonly requestId: string;
  /** The request's logger: every line carries the request id. */
  readonly log: Logger;
}

/** An operation handler: a method of the user's class. */
export type OperationHandler = (request: never) => Promise<HttpReply>;

/** The names of `Ops`' methods that are operation handlers. */
export type OperationName<Ops> = { [K in keyof Ops]: Ops[K] extends OperationHandler ? K : never }[keyof Ops] & string;

/** One row of a service's route table. */
export interface RouteDef<Ops> {
  readonly operation: OperationName<Ops>;
  readonly method: HttpMethod;
  /** In Fastify's syntax: `/users/:id`. */
  readonly url: string;
  readonly schema: FastifySchema;
}

/** What the generated `createClients` is given to build the service's typed clients. */
export interface ClientDeps<Fallbacks> {
  /** The caller of one callee with its policies; `localPort` is where it listens when run locally. */
  caller(service: string, localPort: number, policy: CallPolicy): ServiceCaller;
  /** The user's fallbacks, built after the clients (they may use them too). */
  readonly fallbacks: () => Fallbacks;
}

/** The resource factories of a service, by the context property they appear as (`db`). */
export type ResourceFactories = Readonly<Record<string, ResourceFactory<unknown>>>;

/** What the resources put into the context: `{ db: postgres(url) }` → `{ readonly db: Postgres }`. */
export type ResourceClients<R extends ResourceFactories> = { readonly [K in keyof R]: R[K] extends ResourceFactory<infer Client> ? Client : never };

/**
 * The context every handler class receives as `this.ctx`; `publish` is there when the service
 * publishes events (`Published` maps their names to their payload types).
 */
export type ContextOf<Name extends string, R extends ResourceFactories, Clients, Published = {}> = {
  /** The service's name in the spec. */
  readonly service: Name;
  /** The service's logger (pino, JSON lines on stdout; level from `LOG_LEVEL`). */
  readonly logger: Logger;
  /** The typed clients of the services this one calls. */
  readonly clients: Clients;
} & ResourceClients<R> &
  PublishOf<Published>;

/** How the user's handler classes are built from the context. */
export interface HandlerFactories<Ctx, Ops, Events, Fallbacks, Sagas = unknown> {
  readonly operations: (ctx: Ctx) => Ops;
  readonly events?: (ctx: Ctx) => Events;
  readonly fallbacks?: (ctx: Ctx) => Fallbacks;
  /** The classes of the steps of the sagas the service hosts (`{ placeOrder: new PlaceOrder(ctx) }`). */
  readonly sagas?: (ctx: Ctx) => Sagas;
}

/** `Published` is `{}`, the empty map, for a service that publishes no events. */
export interface ServiceDefinition<Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks, Published = {}, Sagas = unknown> {
  readonly name: Name;
  /** Where it listens unless `PORT` says otherwise. */
  readonly port: number;
  readonly discovery: 'consul' | 'dns';
  /** Shared JSON Schemas the routes refer to (`Name#`). */
  readonly components: readonly object[];
  readonly routes: readonly RouteDef<Ops>[];
  readonly resources: R;
  readonly clients: (deps: ClientDeps<Fallbacks>) => Clients;
  /** The exchange, the events the service publishes and its subscriptions (absent: no events). */
  readonly events?: EventsDefinition<Published, Events>;
  readonly handlers: HandlerFactories<ContextOf<Name, R, Clients, Published>, Ops, Events, Fallbacks, Sagas>;
  /**
   * The orchestrated sagas this service hosts, built from the context (their steps call its
   * clients) and the classes `handlers.sagas` built (their steps' user code): each runs on a saga
   * engine, kept in the service's PostgreSQL database when it has one (else in memory), and is
   * served under `/sagas/<saga>`.
   */
  readonly sagas?: (ctx: ContextOf<Name, R, Clients, Published>, handlers: Sagas) => readonly AnySagaDefinition[];
}

/** Any service definition, as the runtime handles it without knowing its types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceDefinition = ServiceDefinition<string, ResourceFactories, unknown, any, any, unknown, any, any>;
