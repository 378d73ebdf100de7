/**
 * What moves messages: RabbitMQ (`amqp.ts`) or the in-process bus (`memory.ts`). A transport
 * only carries bytes and carries out decisions; what a delivery means (is it well formed, a
 * duplicate, should it be retried or dead-lettered) is decided once, in `consumer.ts`, so both
 * transports behave the same.
 */
import type { WireMessage } from './message.js';
import type { QueueBinding, QueueTopology } from './topology.js';

/** A message as a consumer receives it; `name` and `id` are absent when the sender left them out. */
export interface Delivery {
  readonly id?: string;
  readonly name?: string;
  readonly version?: number;
  readonly requestId?: string;
  readonly body: string;
  /** 1 on the first delivery; each retry adds one. */
  readonly attempt: number;
}

/** What becomes of a delivery. */
export type Outcome =
  | { readonly kind: 'ack' }
  /** Back to the queue after `delayMs` (through the retry queue of that delay). */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  /** To the dead-letter queue, for good (until an operator re-queues it). */
  | { readonly kind: 'dead'; readonly reason: string };

export type DeliveryHandler = (delivery: Delivery) => Promise<Outcome>;

export interface ConsumerSpec {
  readonly topology: QueueTopology;
  /** How many deliveries may be in hand at once. */
  readonly prefetch: number;
  readonly handle: DeliveryHandler;
}

/** A dead-lettered message, as `npm run dlq -- list` shows it. */
export interface DeadLetter {
  readonly queue: string;
  readonly id?: string;
  readonly name?: string;
  readonly version?: number;
  readonly reason: string;
  /** When it was dead-lettered (ISO 8601), when known. */
  readonly at?: string;
  readonly attempts?: number;
  readonly body: string;
}

export interface Transport {
  readonly kind: 'rabbitmq' | 'memory';
  /**
   * Connects (without failing when the broker is away), declares the topology and starts the
   * consumers. `receivers` are queues of other services' subscriptions that receive what this
   * service publishes: declared (never consumed) before anything is published.
   */
  open(consumers: readonly ConsumerSpec[], receivers?: readonly QueueBinding[]): Promise<void>;
  /** Resolves once the broker has the message (a publisher confirm); rejects after the publish timeout. */
  publish(message: WireMessage): Promise<void>;
  health(): Promise<void>;
  /** Stops consuming, lets deliveries in hand finish, waits for outstanding confirms, disconnects. */
  close(): Promise<void>;
}

/** A failure to publish: the broker did not confirm in time, or refused the message. */
export class PublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
  }
}
