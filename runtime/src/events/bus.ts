/**
 * A service's events as one resource (`broker` in `/health`): `this.ctx.publish`, the consumers
 * of its subscriptions, and, for a service with PostgreSQL, the outbox relay and the inbox.
 *
 * The transport is chosen at start: `BROKER_URL` set → RabbitMQ; unset → the in-process bus
 * (one line in the log says so). Both behave the same: payloads checked on publish and on
 * receipt, retries after `EVENT_RETRY_DELAYS`, a dead-letter queue per subscription with the
 * reason, duplicates ignored by message id, an acknowledgement only after the handler succeeded.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { envNumber } from '../env.js';
import { currentRequestId } from '../request-id.js';
import { serverOf, type Resource } from '../resource.js';
import { deliveryHandler } from './consumer.js';
import { memoryDeduper } from './dedupe.js';
import type { EventsDefinition, Publish } from './definition.js';
import { memoryTransport } from './memory.js';
import type { EventMessage, WireMessage } from './message.js';
import type { EventStore, Relay } from './outbox.js';
import { payloadChecks } from './schemas.js';
import { parseRetryDelays, receiverQueues, subscriptionTopology, type QueueBinding, type QueueTopology } from './topology.js';
import type { ConsumerSpec, Transport } from './transport.js';

/** Deliveries in hand per subscription (`EVENT_PREFETCH`). */
export const DEFAULT_PREFETCH = 50;
/** How long a publish waits for the broker (`EVENT_PUBLISH_TIMEOUT_MS`). */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 15_000;
/** How often the outbox relay looks for rows when nothing woke it (`EVENT_RELAY_INTERVAL_MS`). */
export const DEFAULT_RELAY_INTERVAL_MS = 1_000;

/** A payload that does not match its event's schema, or an event the service does not publish. */
export class InvalidEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEvent';
  }
}

export interface EventBusOptions<P, H> {
  readonly service: string;
  readonly definition: EventsDefinition<P, H>;
  readonly logger: Logger;
  readonly setting: (name: string) => string | undefined;
  /** The outbox and inbox, when the service's database offers them. */
  readonly store?: EventStore;
  /** The user's event handlers (built after the context that holds `publish`). */
  readonly handlers: () => H | undefined;
}

export interface EventBus<P> extends Resource<undefined> {
  /** What `this.ctx.publish` is; undefined when the service publishes nothing. */
  readonly publish: Publish<P> | undefined;
  readonly transport: Transport['kind'];
  /** The queues of the subscriptions. */
  readonly topology: readonly QueueTopology[];
  /** The queues of other services' subscriptions that receive what it publishes (declared, not consumed). */
  readonly receivers: readonly QueueBinding[];
}

function positive(setting: (name: string) => string | undefined, name: string, fallback: number): number {
  const value = envNumber(name, fallback, { [name]: setting(name) });
  return value > 0 ? value : fallback;
}

async function transportFor(service: string, exchange: string, setting: (name: string) => string | undefined, logger: Logger): Promise<Transport> {
  const url = setting('BROKER_URL');
  if (url === undefined) {
    logger.info(`BROKER_URL is not set: events stay inside this process (in-memory bus on exchange ${exchange})`);
    return memoryTransport(exchange);
  }
  let amqp: typeof import('./amqp.js');
  try {
    amqp = await import('./amqp.js');
  } catch (err) {
    throw new Error(`BROKER_URL is set but amqplib cannot be loaded (${(err as Error).message}): add amqplib to ${service}'s dependencies`);
  }
  return amqp.amqpTransport({ url, exchange, service, logger, publishTimeoutMs: positive(setting, 'EVENT_PUBLISH_TIMEOUT_MS', DEFAULT_PUBLISH_TIMEOUT_MS) });
}

export async function eventBus<P, H>(options: EventBusOptions<P, H>): Promise<EventBus<P>> {
  const { service, definition, logger, setting, store } = options;
  const transport = await transportFor(service, definition.exchange, setting, logger);
  const retryDelaysMs = parseRetryDelays(setting('EVENT_RETRY_DELAYS'));
  const prefetch = positive(setting, 'EVENT_PREFETCH', DEFAULT_PREFETCH);
  const subscriptions = definition.subscriptions ?? [];
  const topology = subscriptionTopology(service, subscriptions, retryDelaysMs);
  const receivers = receiverQueues(definition.receivers ?? []);
  const dedupe = store ?? memoryDeduper();

  const consumers: ConsumerSpec[] = subscriptions.map((sub, i) => ({
    topology: topology[i],
    prefetch,
    handle: deliveryHandler({
      queue: topology[i].queue,
      handler: sub.handler,
      checks: payloadChecks(definition.schemas, sub.events),
      retryDelaysMs,
      dedupe,
      logger,
      trackRequestId: definition.publishes !== undefined,
      call: (message: EventMessage<string, unknown>) => {
        const handlers = options.handlers();
        const method = handlers?.[sub.handler];
        if (typeof method !== 'function') throw new Error(`${service} has no handler ${sub.handler}`);
        return (method as (message: EventMessage<string, unknown>) => Promise<void>).call(handlers, message);
      },
    }),
  }));

  const published = definition.publishes;
  let publish: Publish<P> | undefined;
  if (published) {
    const checks = payloadChecks(definition.schemas, published);
    const known = Object.keys(published);
    const send = (name: string, payload: unknown): Promise<void> => {
      const check = checks.get(name);
      if (!check) throw new InvalidEvent(`${service} does not publish ${name} (it publishes ${known.join(', ')})`);
      const problem = check(payload);
      if (problem) throw new InvalidEvent(`${name}: ${problem.replace(/^payload/, 'the payload')}`);
      const requestId = currentRequestId();
      const message: WireMessage = { id: randomUUID(), name, version: published[name as keyof P & string].version, body: JSON.stringify(payload), ...(requestId !== undefined ? { requestId } : {}) };
      return store ? store.enqueue(message) : transport.publish(message);
    };
    publish = send as Publish<P>;
  }

  let relay: Relay | undefined;
  return {
    name: 'broker',
    client: undefined,
    publish,
    transport: transport.kind,
    topology,
    receivers,
    async open() {
      if (store) await store.prepare().catch((err: unknown) => logger.warn(`the outbox and inbox tables are not ready yet (${(err as Error).message}); retrying`));
      await transport.open(consumers, receivers);
      if (store && published) relay = store.relay((message) => transport.publish(message), positive(setting, 'EVENT_RELAY_INTERVAL_MS', DEFAULT_RELAY_INTERVAL_MS));
    },
    health: () => transport.health(),
    describe: () => (transport.kind === 'memory' ? `in-process bus (exchange ${definition.exchange})` : `RabbitMQ at ${serverOf(setting('BROKER_URL') ?? '')} (exchange ${definition.exchange})`),
    async close() {
      await relay?.stop();
      await transport.close();
    },
  };
}
