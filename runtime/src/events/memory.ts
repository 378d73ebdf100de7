/**
 * The in-process bus: the same interface and semantics as RabbitMQ (a topic exchange, one
 * queue per subscription, retries after a delay, a dead-letter list per queue with the reason,
 * bounded concurrency per consumer) for tests and for `microgen dev` without `BROKER_URL`.
 * One broker per exchange name is shared by every service opened in the process, so services
 * composed into one process deliver to each other. Nothing survives the process.
 */
import { AsyncResource } from 'node:async_hooks';
import type { WireMessage } from './message.js';
import { topicMatches } from './topology.js';
import type { ConsumerSpec, DeadLetter, Delivery, Outcome, Transport } from './transport.js';

interface Queued {
  readonly message: WireMessage;
  readonly attempt: number;
}

interface Consumer {
  readonly spec: ConsumerSpec;
  /**
   * Where deliveries run: the consumer's own async context, not the publisher's (which may be
   * inside a database transaction or another request).
   */
  readonly scope: AsyncResource;
  inHand: number;
}

class MemoryQueue {
  readonly ready: Queued[] = [];
  readonly dead: DeadLetter[] = [];
  consumer: Consumer | undefined;
  readonly timers = new Set<NodeJS.Timeout>();
  readonly settled = new Set<() => void>();

  constructor(
    readonly name: string,
    public patterns: readonly string[],
  ) {}

  push(item: Queued): void {
    this.ready.push(item);
    this.pump();
  }

  pump(): void {
    const consumer = this.consumer;
    while (consumer && consumer === this.consumer && consumer.inHand < consumer.spec.prefetch && this.ready.length > 0) {
      const item = this.ready.shift()!;
      consumer.inHand++;
      const delivery: Delivery = { ...item.message, attempt: item.attempt };
      consumer.scope
        .runInAsyncScope(() => consumer.spec.handle(delivery))
        .catch((err: unknown): Outcome => ({ kind: 'retry', delayMs: 0, reason: String(err) }))
        .then((outcome) => {
          consumer.inHand--;
          this.settle(item, outcome);
          for (const done of this.settled) done();
          this.pump();
        });
    }
  }

  private settle(item: Queued, outcome: Outcome): void {
    if (outcome.kind === 'retry') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.push({ message: item.message, attempt: item.attempt + 1 });
      }, outcome.delayMs);
      timer.unref();
      this.timers.add(timer);
    } else if (outcome.kind === 'dead') {
      const { message } = item;
      this.dead.push({
        queue: this.name,
        ...(message.id ? { id: message.id } : {}),
        ...(message.name ? { name: message.name } : {}),
        version: message.version,
        reason: outcome.reason,
        at: new Date().toISOString(),
        attempts: item.attempt,
        body: message.body,
      });
    }
  }

  /** Resolves when `consumer` has nothing in hand. */
  idle(consumer: Consumer): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (consumer.inHand > 0) return;
        this.settled.delete(check);
        resolve();
      };
      this.settled.add(check);
      check();
    });
  }
}

/** The broker of one exchange in this process. */
export class MemoryBroker {
  private readonly queues = new Map<string, MemoryQueue>();

  constructor(readonly exchange: string) {}

  /**
   * Declares the queue (it exists before its consumer and outlives it, as a durable queue does)
   * and binds it with `patterns`; bindings add up, as on a broker.
   */
  queue(name: string, patterns: readonly string[]): MemoryQueue {
    let queue = this.queues.get(name);
    if (!queue) this.queues.set(name, (queue = new MemoryQueue(name, patterns)));
    else queue.patterns = [...new Set([...queue.patterns, ...patterns])];
    return queue;
  }

  publish(message: WireMessage): void {
    for (const queue of this.queues.values()) {
      if (queue.patterns.some((p) => topicMatches(p, message.name))) queue.push({ message, attempt: 1 });
    }
  }

  /** The dead letters of one queue (or of all). */
  deadLetters(queue?: string): DeadLetter[] {
    return [...this.queues.values()].filter((q) => queue === undefined || q.name === queue).flatMap((q) => q.dead);
  }

  /** Puts dead letters back into their queues as first deliveries; returns how many. */
  retryDead(queue?: string, ids?: readonly string[]): number {
    let moved = 0;
    for (const q of this.queues.values()) {
      if (queue !== undefined && q.name !== queue) continue;
      const keep: DeadLetter[] = [];
      for (const d of q.dead.splice(0)) {
        if (ids && (d.id === undefined || !ids.includes(d.id))) {
          keep.push(d);
          continue;
        }
        q.push({ message: { id: d.id ?? '', name: d.name ?? '', version: d.version ?? 1, body: d.body }, attempt: 1 });
        moved++;
      }
      q.dead.push(...keep);
    }
    return moved;
  }

  /** Messages waiting (not in hand) in a queue. */
  depth(queue: string): number {
    return this.queues.get(queue)?.ready.length ?? 0;
  }
}

const brokers = new Map<string, MemoryBroker>();

/** The process's broker for `exchange` (made on first use). */
export function memoryBroker(exchange: string): MemoryBroker {
  let broker = brokers.get(exchange);
  if (!broker) brokers.set(exchange, (broker = new MemoryBroker(exchange)));
  return broker;
}

export function memoryTransport(exchange: string): Transport {
  const broker = memoryBroker(exchange);
  const mine: { queue: MemoryQueue; consumer: Consumer }[] = [];
  let closed = false;
  return {
    kind: 'memory',
    async open(consumers, receivers = []) {
      // Queues of other services' subscriptions that receive what this one publishes: what is
      // published before their service opens waits for it.
      for (const receiver of receivers) broker.queue(receiver.queue, receiver.patterns);
      for (const spec of consumers) {
        const queue = broker.queue(spec.topology.queue, spec.topology.patterns);
        const consumer: Consumer = { spec, scope: new AsyncResource('microgen.memory-consumer'), inHand: 0 };
        queue.consumer = consumer;
        mine.push({ queue, consumer });
        queue.pump();
      }
    },
    async publish(message) {
      if (closed) throw new Error(`the in-process bus of ${exchange} is closed for this service`);
      // A copy per queue, as a broker would: a handler cannot change what another one receives.
      broker.publish({ ...message });
    },
    async health() {
      if (closed) throw new Error('closed');
    },
    async close() {
      closed = true;
      for (const { queue, consumer } of mine) if (queue.consumer === consumer) queue.consumer = undefined;
      // What is waiting (retries included) stays in the queue for the next consumer, as on a broker.
      await Promise.all(mine.map(({ queue, consumer }) => queue.idle(consumer)));
    },
  };
}
