/**
 * Events over RabbitMQ (`@microgen/runtime/amqp`, amqplib 2.3 with its own connection
 * recovery). The topology, declared again on every (re)connection:
 *
 * - the topic exchange of the spec's `broker.exchange` (durable); routing key = event name;
 * - per subscription the durable quorum queue `<service>.<handler>`, bound with its patterns,
 *   with `x-delivery-limit` (a message that keeps killing its consumer is dead-lettered by the
 *   broker instead of looping) and at-least-once dead-lettering into `<queue>.dead`;
 * - the same queue and bindings of each subscription of another service that receives what this
 *   one publishes (its receivers): an event published before its subscriber ever ran waits there;
 * - per retry delay a quorum queue `<queue>.retry.<delay>` whose message TTL is that delay and
 *   whose dead-letter target is the queue again (a TTL only expires at the head of a queue, so
 *   one queue per delay); the delayed-message plugin is not needed;
 * - `<queue>.dead`, a durable classic queue (listing it with basic.get and returning what was
 *   read must not count towards a delivery limit).
 *
 * Messages are persistent, with `message-id`, `type` (the event name), and the headers
 * `x-event-version`, `x-request-id` and, after a failure, `x-attempt`. Publishes use publisher
 * confirms with a window of outstanding confirms; a publish made while the broker is away waits
 * for the reconnection up to the publish timeout and then fails loudly. A delivery is
 * acknowledged only after its outcome is safe: handled, or its retry or dead-letter copy
 * confirmed by the broker.
 */
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { WireMessage } from './message.js';
import { deadQueueName, type QueueBinding, type QueueTopology } from './topology.js';
import { PublishError, type ConsumerSpec, type DeadLetter, type Delivery, type Outcome, type Transport } from './transport.js';

export type { DeadLetter } from './transport.js';

/** Publishes sent and not yet confirmed, at most (measured here: one await per confirm gives ~400 msg/s; 256 outstanding ~15,000). */
export const CONFIRM_WINDOW = 256;
/** Deliveries of one message (without an acknowledgement) before the broker dead-letters it. */
export const DELIVERY_LIMIT = 20;
/** How long a stop waits for deliveries in hand and outstanding confirms. */
const CLOSE_TIMEOUT_MS = 10_000;
/** Before a message the broker refused (a nack) is sent again. */
const NACK_RETRY_MS = 200;

export interface AmqpOptions {
  /** `amqp://user:password@host:5672/vhost` */
  readonly url: string;
  readonly exchange: string;
  /** Shown as the connection's name in the management UI. */
  readonly service: string;
  readonly logger: Logger;
  /** How long a publish waits for the broker (while it is away, or for the confirm). */
  readonly publishTimeoutMs: number;
}

/** First in, first out, with O(1) takes from the front (an array's `shift` moves every element). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  /** Puts an item back at the front (a publish to send again first). */
  unshift(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A publish in hand: waiting to be sent (again), or sent and awaiting its confirm. */
interface Outgoing {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
  readonly what: string;
  /** When it fails if still unconfirmed (`performance.now()` time). */
  readonly deadline: number;
  settled: boolean;
  resolve(): void;
  reject(err: Error): void;
}

const DEAD_LETTERING = { 'x-dead-letter-exchange': '', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

/**
 * The arguments of a subscription's queue, whoever declares it: its own service or a publisher
 * of what it receives (declaring an existing queue with other arguments fails).
 */
export function subscriptionQueueArguments(queue: string): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': DELIVERY_LIMIT, ...DEAD_LETTERING, 'x-dead-letter-routing-key': deadQueueName(queue) } };
}

/** The arguments every queue of a subscription is declared with (declaring with others fails). */
export function queueArguments(topology: QueueTopology): { queue: Options.AssertQueue; retries: Options.AssertQueue[]; dead: Options.AssertQueue } {
  return {
    queue: subscriptionQueueArguments(topology.queue),
    retries: topology.retries.map((r) => ({
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': r.delayMs, ...DEAD_LETTERING, 'x-dead-letter-routing-key': topology.queue },
    })),
    dead: { durable: true },
  };
}

/** Declares a subscription's queue and binds it with its patterns (idempotent). */
export async function declareQueue(channel: Channel, exchange: string, binding: QueueBinding): Promise<void> {
  await channel.assertQueue(binding.queue, subscriptionQueueArguments(binding.queue));
  for (const pattern of binding.patterns) await channel.bindQueue(binding.queue, exchange, pattern);
}

/** Declares a subscription's queues and bindings (idempotent). */
export async function declareSubscription(channel: Channel, exchange: string, topology: QueueTopology): Promise<void> {
  const args = queueArguments(topology);
  await channel.assertQueue(topology.dead, args.dead);
  for (const [i, retry] of topology.retries.entries()) await channel.assertQueue(retry.queue, args.retries[i]);
  await declareQueue(channel, exchange, topology);
}

/** Headers a broker adds on its way (dead-lettering, delivery counts): not copied onto a retry. */
const BROKER_HEADERS = /^x-(death|first-death-|last-death-|delivery-count)/;

function copyHeaders(headers: Record<string, unknown> | undefined, extra: Record<string, unknown>, drop: RegExp = BROKER_HEADERS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (!drop.test(k)) out[k] = v;
  return { ...out, ...extra };
}

/** The properties of a message copied to another queue (a retry, a dead letter, a re-queue). */
function copyProperties(msg: { properties: ConsumeMessage['properties'] }, headers: Record<string, unknown>): Options.Publish {
  const p = msg.properties;
  return {
    persistent: true,
    headers,
    ...(p.messageId ? { messageId: p.messageId as string } : {}),
    ...(p.type ? { type: p.type as string } : {}),
    ...(p.contentType ? { contentType: p.contentType as string } : {}),
    ...(p.appId ? { appId: p.appId as string } : {}),
    ...(p.timestamp ? { timestamp: p.timestamp as number } : {}),
  };
}

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const stringOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : Buffer.isBuffer(v) ? v.toString() : undefined);

export class AmqpTransport implements Transport {
  readonly kind = 'rabbitmq' as const;
  private connection: RecoveringChannelModel | undefined;
  private model: ChannelModel | undefined;
  /** The confirm channel of the current connection; undefined while disconnected. */
  private publisher: ConfirmChannel | undefined;
  private readonly waiting = new Fifo<Outgoing>();
  private outstanding = 0;
  private blocked = false;
  private consumers: readonly ConsumerSpec[] = [];
  private receivers: readonly QueueBinding[] = [];
  private readonly consuming = new Map<string, { readonly channel: Channel; readonly tag: string }>();
  /** Channels closed under us: an ack there would throw. */
  private readonly closedChannels = new WeakSet<Channel>();
  private inHand = 0;
  private closing = false;
  private connections = 0;
  private lastError: string | undefined;
  private readonly idleWaiters = new Set<() => void>();
  /** Publishes not yet confirmed (waiting or sent), for the deadline sweep. */
  private readonly unsettled = new Set<Outgoing>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: AmqpOptions) {}

  async open(consumers: readonly ConsumerSpec[], receivers: readonly QueueBinding[] = []): Promise<void> {
    const { url, service, logger } = this.options;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`BROKER_URL is not a URL: ${url}`);
    }
    if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') throw new Error(`BROKER_URL must be amqp:// or amqps:// (got ${parsed.protocol}//)`);
    this.consumers = consumers;
    this.receivers = receivers;
    let reportedDown = false;
    const connection = await connect(url, {
      clientProperties: { connection_name: service },
      recovery: { waitForConnect: false, initialDelay: 200, maxDelay: 5_000, jitter: 0.2, setup: (model: ChannelModel) => this.setup(model) },
    });
    this.connection = connection;
    connection.on('connect', () => {
      reportedDown = false;
      this.lastError = undefined;
      this.connections++;
      const declared = receivers.length > 0 ? `, the queues of ${receivers.length} receiver(s) of its events declared` : '';
      if (this.connections === 1) logger.info({ broker: parsed.host }, `broker connected; ${consumers.length} subscription(s) consuming${declared}`);
      else logger.info({ broker: parsed.host }, 'broker reconnected; topology declared again, consumers resumed');
    });
    connection.on('disconnect', (err: Error) => {
      this.lastError = err.message;
      this.dropConnection();
      if (!this.closing) logger.warn({ broker: parsed.host }, `broker connection lost (${err.message}); reconnecting`);
    });
    connection.on('connect-failed', (err: Error) => {
      this.lastError = err.message;
      if (reportedDown) return logger.debug({ broker: parsed.host }, `broker still unreachable (${err.message})`);
      reportedDown = true;
      logger.error({ broker: parsed.host }, `broker unreachable (${err.message}); /health reports it down, publishes wait up to ${this.options.publishTimeoutMs}ms, retrying`);
    });
    connection.on('blocked', (reason: string) => logger.warn(`the broker blocks publishing (${reason})`));
    connection.on('unblocked', () => logger.info('the broker accepts publishing again'));
    connection.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'broker connection error'));
    connection.on('handler-error', (err: Error, event: string) => logger.error({ err, event }, 'broker event listener failed'));
  }

  /** Runs on every (re)connection: channels, topology, consumers, and what waited to be published. */
  private async setup(model: ChannelModel): Promise<void> {
    const { exchange, logger } = this.options;
    model.on('error', (err: Error) => logger.debug({ err: { message: err.message } }, 'broker connection error'));
    const publisher = await model.createConfirmChannel();
    this.watch(publisher, 'publishing');
    await publisher.assertExchange(exchange, 'topic', { durable: true });
    for (const spec of this.consumers) {
      try {
        await declareSubscription(publisher, exchange, spec.topology);
      } catch (err) {
        logger.error(`declaring the queues of ${spec.topology.queue} failed (${(err as Error).message}); a queue of that name with other arguments must be deleted first`);
        throw err;
      }
    }
    // Before anything is published (the publisher channel is not handed out yet).
    await this.declareReceivers(model);
    this.model = model;
    this.publisher = publisher;
    this.blocked = false;
    if (this.closing) return;
    for (const spec of this.consumers) {
      const channel = await model.createChannel();
      this.watch(channel, spec.topology.queue);
      await channel.prefetch(spec.prefetch);
      const { consumerTag } = await channel.consume(spec.topology.queue, (msg) => this.onMessage(channel, spec, msg), { noAck: false });
      this.consuming.set(spec.topology.queue, { channel, tag: consumerTag });
    }
    this.pump();
  }

  /**
   * Declares the queue and bindings of each subscription of another service that receives what
   * this one publishes, on a channel of their own: a queue that exists with other arguments (its
   * service runs another version) is left as it is, logged, and does not stop this service.
   * Its retry and dead-letter queues stay its own service's business: the broker dead-letters
   * from this queue only at the delivery limit (it has no TTL and no length limit), which takes
   * deliveries, which take that service running, and it declares them before it consumes.
   */
  private async declareReceivers(model: ChannelModel): Promise<void> {
    const { exchange, service, logger } = this.options;
    let channel: Channel | undefined;
    for (const receiver of this.receivers) {
      if (!channel) {
        channel = await model.createChannel();
        channel.on('error', () => undefined);
      }
      try {
        await declareQueue(channel, exchange, receiver);
      } catch (err) {
        logger.warn(`declaring ${receiver.queue}, which receives events ${service} publishes, failed (${(err as Error).message}); left to its own service`);
        channel = undefined;
      }
    }
    await channel?.close().catch(() => undefined);
  }

  private watch(channel: Channel, what: string): void {
    channel.on('error', (err: Error) => this.options.logger.warn({ err: { message: err.message } }, `broker channel (${what}) failed`));
    channel.on('handler-error', (err: Error, event: string) => this.options.logger.error({ err, event }, `broker channel (${what}) listener failed`));
    channel.on('close', () => {
      this.closedChannels.add(channel);
      const mine = this.publisher === channel || [...this.consuming.values()].some((c) => c.channel === channel);
      if (this.publisher === channel) this.publisher = undefined;
      for (const [queue, c] of this.consuming) if (c.channel === channel) this.consuming.delete(queue);
      // A channel the broker closed on its own (a channel error) while the connection lives: start
      // over with a fresh connection, which declares everything again and resumes every consumer.
      const model = this.model;
      if (mine && model && !this.closing) {
        this.options.logger.warn(`broker channel (${what}) closed; reconnecting`);
        this.dropConnection();
        void model.close().catch(() => undefined);
      }
    });
  }

  private dropConnection(): void {
    this.publisher = undefined;
    this.model = undefined;
    this.consuming.clear();
  }

  publish(message: WireMessage): Promise<void> {
    const headers: Record<string, unknown> = { 'x-event-version': message.version };
    if (message.requestId !== undefined) headers['x-request-id'] = message.requestId;
    return this.send(this.options.exchange, message.name, Buffer.from(message.body), {
      persistent: true,
      messageId: message.id,
      type: message.name,
      contentType: 'application/json',
      appId: this.options.service,
      timestamp: Math.floor(Date.now() / 1000),
      headers,
    }, `${message.name} ${message.id}`);
  }

  /** Queues one publish; it is sent as soon as the window and the connection allow. */
  private send(exchange: string, routingKey: string, content: Buffer, options: Options.Publish, what: string): Promise<void> {
    if (this.closing && !this.model) return Promise.reject(new PublishError(`cannot publish ${what}: the service is stopping`));
    return new Promise<void>((resolve, reject) => {
      const out: Outgoing = { exchange, routingKey, content, options, what, deadline: performance.now() + this.options.publishTimeoutMs, settled: false, resolve, reject };
      this.unsettled.add(out);
      // One timer for every publish in hand rather than one each: a publish costs less.
      this.sweeper ??= setInterval(() => this.sweep(), Math.min(250, this.options.publishTimeoutMs / 4));
      this.waiting.push(out);
      this.pump();
    });
  }

  /** Fails the publishes whose deadline passed. */
  private sweep(): void {
    const now = performance.now();
    for (const out of this.unsettled) {
      if (out.deadline > now) continue;
      this.finish(out);
      const why = this.publisher ? 'the broker did not confirm it' : `the broker is unreachable${this.lastError ? ` (${this.lastError})` : ''}`;
      out.reject(new PublishError(`publishing ${out.what} failed: ${why} within ${this.options.publishTimeoutMs}ms`));
    }
  }

  private finish(out: Outgoing): void {
    out.settled = true;
    this.unsettled.delete(out);
    if (this.unsettled.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private pump(): void {
    const publisher = this.publisher;
    while (publisher && publisher === this.publisher && !this.blocked && this.outstanding < CONFIRM_WINDOW && this.waiting.length > 0) {
      const out = this.waiting.shift()!;
      if (!out.settled) this.transmit(publisher, out);
    }
    if (this.waiting.length === 0 && this.outstanding === 0) for (const wake of this.idleWaiters) wake();
  }

  private transmit(publisher: ConfirmChannel, out: Outgoing): void {
    this.outstanding++;
    let answered = false;
    const onConfirm = (err: unknown): void => {
      if (answered) return;
      answered = true;
      this.outstanding--;
      if (!out.settled) {
        if (err == null) {
          this.finish(out);
          out.resolve();
        } else if (this.publisher === publisher) {
          // A nack: the broker refused it for now. Send it again shortly (the timeout bounds this).
          setTimeout(() => (this.waiting.unshift(out), this.pump()), NACK_RETRY_MS).unref();
        } else {
          // The channel closed before the confirm: send it again on the next connection.
          this.waiting.unshift(out);
        }
      }
      this.pump();
    };
    try {
      const ok = publisher.publish(out.exchange, out.routingKey, out.content, out.options, onConfirm);
      if (!ok) {
        this.blocked = true;
        publisher.once('drain', () => {
          this.blocked = false;
          this.pump();
        });
      }
    } catch (err) {
      onConfirm(err);
    }
  }

  private onMessage(channel: Channel, spec: ConsumerSpec, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (its queue was deleted): reconnect to declare it again.
      this.options.logger.error(`the broker cancelled the consumer of ${spec.topology.queue}; reconnecting to declare it again`);
      const model = this.model;
      this.dropConnection();
      void model?.close().catch(() => undefined);
      return;
    }
    this.inHand++;
    spec
      .handle(this.deliveryOf(msg))
      .then((outcome) => this.settle(channel, spec.topology, msg, outcome))
      .catch((err: unknown) => {
        this.options.logger.error({ err, queue: spec.topology.queue }, 'settling a delivery failed; it will be delivered again');
        this.requeue(channel, msg);
      })
      .finally(() => {
        this.inHand--;
        if (this.inHand === 0) for (const wake of this.idleWaiters) wake();
      });
  }

  private deliveryOf(msg: ConsumeMessage): Delivery {
    const p = msg.properties;
    const h = (p.headers ?? {}) as Record<string, unknown>;
    // The event name is the `type` property; a sender that left it out used it as the routing key.
    const name = stringOf(p.type) ?? (msg.fields.exchange === this.options.exchange ? msg.fields.routingKey : undefined);
    const id = stringOf(p.messageId);
    const version = numberOf(h['x-event-version']);
    const requestId = stringOf(h['x-request-id']);
    return {
      ...(id !== undefined ? { id } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      body: msg.content.toString('utf8'),
      attempt: numberOf(h['x-attempt']) ?? 1,
    };
  }

  private async settle(channel: Channel, topology: QueueTopology, msg: ConsumeMessage, outcome: Outcome): Promise<void> {
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const attempt = numberOf(headers['x-attempt']) ?? 1;
    if (outcome.kind === 'retry') {
      const retry = topology.retries.find((r) => r.delayMs === outcome.delayMs) ?? topology.retries[topology.retries.length - 1];
      const copy = copyProperties(msg, copyHeaders(headers, { 'x-attempt': attempt + 1, 'x-last-error': outcome.reason.slice(0, 1000) }));
      await this.send('', retry.queue, msg.content, copy, `a retry of ${msg.properties.messageId as string}`);
    } else if (outcome.kind === 'dead') {
      const extra = { 'x-attempt': attempt, 'x-dead-reason': outcome.reason.slice(0, 4000), 'x-dead-at': new Date().toISOString(), 'x-queue': topology.queue };
      await this.send('', topology.dead, msg.content, copyProperties(msg, copyHeaders(headers, extra)), `a dead letter of ${topology.queue}`);
    }
    if (this.closedChannels.has(channel)) return;
    try {
      channel.ack(msg);
    } catch {
      // The channel closed meanwhile: the broker delivers it again, and it is a duplicate then.
    }
  }

  private requeue(channel: Channel, msg: ConsumeMessage): void {
    if (this.closedChannels.has(channel)) return;
    try {
      channel.nack(msg, false, true);
    } catch {
      // The channel closed meanwhile: the broker delivers it again anyway.
    }
  }

  async health(): Promise<void> {
    if (!this.publisher) throw new Error(`not connected to the broker${this.lastError ? ` (${this.lastError})` : ''}`);
    const missing = this.consumers.filter((c) => !this.consuming.has(c.topology.queue));
    if (missing.length > 0) throw new Error(`not consuming ${missing.map((c) => c.topology.queue).join(', ')}`);
  }

  private until(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), ms);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(check);
        resolve(ok);
      };
      this.idleWaiters.add(check);
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const { logger } = this.options;
    for (const { channel, tag } of [...this.consuming.values()]) await channel.cancel(tag).catch(() => undefined);
    if (!(await this.until(() => this.inHand === 0, CLOSE_TIMEOUT_MS))) logger.warn(`${this.inHand} delivery(ies) still in hand at shutdown; the broker delivers them again`);
    if (this.publisher && !(await this.until(() => this.waiting.length === 0 && this.outstanding === 0, CLOSE_TIMEOUT_MS))) {
      logger.warn(`${this.waiting.length + this.outstanding} publish(es) unconfirmed at shutdown`);
    }
    for (const out of [...this.unsettled]) {
      this.finish(out);
      out.reject(new PublishError(`publishing ${out.what} failed: the service stopped first`));
    }
    await this.connection?.close().catch(() => undefined);
  }
}

export function amqpTransport(options: AmqpOptions): Transport {
  return new AmqpTransport(options);
}

// ---------------------------------------------------------------------------------------------
// Dead letters: what `npm run dlq -- list|retry` does.

/** Why the broker (rather than a consumer) dead-lettered a message, from its `x-death` header. */
function deathReason(headers: Record<string, unknown>): string | undefined {
  const deaths = headers['x-death'];
  if (!Array.isArray(deaths) || deaths.length === 0) return undefined;
  const first = deaths[0] as Record<string, unknown>;
  const reason = stringOf(first.reason);
  if (reason === 'delivery_limit') return `delivered ${DELIVERY_LIMIT} times without an acknowledgement (the consumer crashed or timed out on it each time)`;
  return reason !== undefined ? `dead-lettered by the broker (${reason} in ${stringOf(first.queue) ?? '?'})` : undefined;
}

function deadLetterOf(queue: string, msg: { content: Buffer; properties: ConsumeMessage['properties'] }): DeadLetter {
  const h = (msg.properties.headers ?? {}) as Record<string, unknown>;
  const id = stringOf(msg.properties.messageId);
  const name = stringOf(msg.properties.type);
  const version = numberOf(h['x-event-version']);
  const at = stringOf(h['x-dead-at']);
  const attempts = numberOf(h['x-attempt']);
  return {
    queue,
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(version !== undefined ? { version } : {}),
    reason: stringOf(h['x-dead-reason']) ?? deathReason(h) ?? 'unknown',
    ...(at !== undefined ? { at } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
    body: msg.content.toString('utf8'),
  };
}

/** One queue's dead letters (its `<queue>.dead`), or why they cannot be read. */
export interface DeadLetterReport {
  readonly queue: string;
  readonly count: number;
  readonly messages: readonly DeadLetter[];
  readonly error?: string;
}

async function withConnection<T>(url: string, work: (model: ChannelModel) => Promise<T>): Promise<T> {
  const model = await connect(url, { clientProperties: { connection_name: 'microgen dlq' } });
  model.on('error', () => undefined);
  try {
    return await work(model);
  } finally {
    await model.close().catch(() => undefined);
  }
}

/**
 * Reads up to `limit` dead letters of each subscription queue without removing them: they are
 * fetched unacknowledged and return to the dead-letter queue when the channel closes.
 */
export function listDeadLetters(url: string, queues: readonly string[], limit = 100): Promise<DeadLetterReport[]> {
  return withConnection(url, async (model) => {
    const reports: DeadLetterReport[] = [];
    for (const queue of queues) {
      const dead = deadQueueName(queue);
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      try {
        const { messageCount } = await channel.checkQueue(dead);
        const messages: DeadLetter[] = [];
        while (messages.length < Math.min(limit, messageCount)) {
          const msg = await channel.get(dead, { noAck: false });
          if (msg === false) break;
          messages.push(deadLetterOf(queue, msg));
        }
        reports.push({ queue, count: messageCount, messages });
      } catch (err) {
        reports.push({ queue, count: 0, messages: [], error: (err as Error).message.includes('NOT_FOUND') ? `${dead} does not exist (the subscription never started)` : (err as Error).message });
      } finally {
        await channel.close().catch(() => undefined);
      }
    }
    return reports;
  });
}

/**
 * Moves dead letters back into their subscription queue as first deliveries (all of them, or
 * those with the given message ids), each confirmed before it leaves the dead-letter queue.
 */
export function retryDeadLetters(url: string, queues: readonly string[], ids?: readonly string[]): Promise<{ readonly queue: string; readonly moved: number; readonly error?: string }[]> {
  return withConnection(url, async (model) => {
    const results: { queue: string; moved: number; error?: string }[] = [];
    for (const queue of queues) {
      const dead = deadQueueName(queue);
      const channel = await model.createConfirmChannel();
      channel.on('error', () => undefined);
      let moved = 0;
      try {
        const { messageCount } = await channel.checkQueue(dead);
        for (let read = 0; read < messageCount; read++) {
          const msg = await channel.get(dead, { noAck: false });
          if (msg === false) break;
          const id = stringOf(msg.properties.messageId);
          if (ids && (id === undefined || !ids.includes(id))) continue;
          const headers = copyHeaders(msg.properties.headers as Record<string, unknown>, {}, /^x-(death|first-death-|last-death-|delivery-count|dead-|attempt|last-error|queue$)/);
          await new Promise<void>((resolve, reject) => {
            channel.publish('', queue, msg.content, copyProperties(msg, headers), (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
          });
          channel.ack(msg);
          moved++;
        }
        results.push({ queue, moved });
      } catch (err) {
        results.push({ queue, moved, error: (err as Error).message.includes('NOT_FOUND') ? `${dead} does not exist (the subscription never started)` : (err as Error).message });
      } finally {
        await channel.close().catch(() => undefined);
      }
    }
    return results;
  });
}
