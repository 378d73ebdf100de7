/**
 * What a generated service declares about its events: the exchange, the events it publishes
 * (version and JSON Schema of each, with their payload types for `this.ctx.publish`) and its
 * subscriptions (a handler, the patterns its queue is bound with, the events they match).
 */

/** One event's contract: the payload's schema version and JSON Schema. */
export interface EventSpec {
  readonly version: number;
  readonly schema: object;
}

declare const payloadTypes: unique symbol;

/**
 * The events a service publishes, by name. `P` maps each name to its payload type; it exists
 * only for the compiler (`this.ctx.publish` is typed from it).
 */
export type EventCatalog<P> = { readonly [K in keyof P & string]: EventSpec } & { readonly [payloadTypes]?: P };

/** The names of `H`'s methods that take a message. */
export type HandlerName<H> = { [K in keyof H]: H[K] extends (message: never) => Promise<void> ? K : never }[keyof H] & string;

/** One subscription: a durable queue `<service>.<handler>` bound to the exchange with `patterns`. */
export interface Subscription<H> {
  readonly handler: HandlerName<H>;
  /** Binding keys (`order.*`): a `*` stands for one segment of the event name. */
  readonly patterns: readonly string[];
  /** The events the patterns match, with their contracts (a received payload is checked against them). */
  readonly events: { readonly [name: string]: EventSpec };
}

/**
 * A subscription of another service that receives events this service publishes. The publisher
 * declares its queue and bindings too, so an event published before that service ever ran waits
 * in its queue instead of being dropped by the exchange.
 */
export interface Receiver {
  readonly service: string;
  readonly handler: string;
  /** The subscription's binding keys, all of them (the queue is declared as its service declares it). */
  readonly patterns: readonly string[];
}

/** The `events` part of a service definition. */
export interface EventsDefinition<P, H> {
  /** The topic exchange (the spec's `broker.exchange`). */
  readonly exchange: string;
  /** Shared schemas the event schemas refer to (`Item#`), each with its `$id`. */
  readonly schemas: readonly object[];
  readonly publishes?: EventCatalog<P>;
  readonly subscriptions?: readonly Subscription<H>[];
  /** The subscriptions of other services that receive what this service publishes. */
  readonly receivers?: readonly Receiver[];
}

/**
 * `this.ctx.publish(name, payload)`: exactly the events the service publishes, each with its
 * payload type. The payload is checked against the event's schema before anything is sent (a
 * bad one throws at the call site); the promise resolves once the event is safe: confirmed by
 * the broker, or stored in the outbox of a service with PostgreSQL.
 */
export type Publish<P> = <K extends keyof P & string>(name: K, payload: P[K]) => Promise<void>;

/** What the context gains from the events part: `publish` when the service publishes anything. */
export type PublishOf<P> = [keyof P] extends [never] ? unknown : { readonly publish: Publish<P> };
