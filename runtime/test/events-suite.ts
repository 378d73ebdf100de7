/**
 * The behavioural suite of the event bus, run against both transports (events.test.ts: the
 * in-process bus; events.e2e.test.ts: RabbitMQ): the same publishes, handlers and failures must
 * give the same deliveries, retries and dead letters.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eventBus, InvalidEvent, type EventBus } from '../src/events/bus.js';
import type { EventCatalog, Receiver, Subscription } from '../src/events/definition.js';
import type { EventMessage } from '../src/events/message.js';
import type { QueueTopology } from '../src/events/topology.js';
import type { DeadLetter } from '../src/events/transport.js';
import { withRequestId } from '../src/request-id.js';
import { captureLogger } from './helpers.js';

/** How a transport is reached and inspected from outside the bus. */
export interface Harness {
  readonly name: 'memory' | 'rabbitmq';
  /** Settings every bus of the test gets (`BROKER_URL` or none). */
  readonly settings: Record<string, string>;
  /** Publishes raw bytes to the exchange, as a foreign or broken publisher would. */
  inject(exchange: string, message: { id?: string; name?: string; body: string }): Promise<void>;
  deadLetters(exchange: string, queue: string): Promise<DeadLetter[]>;
  retryDead(exchange: string, queue: string): Promise<number>;
  /** Removes what a test left on the broker. */
  cleanup(exchange: string, topology: readonly QueueTopology[]): Promise<void>;
}

export interface Order {
  orderId: string;
  total: number;
}
export interface Cancelled {
  orderId: string;
  reason?: string;
}
interface Published {
  'order.created': Order;
  'order.cancelled': Cancelled;
  'user.registered': { userId: number };
}

const ORDER = { type: 'object', properties: { orderId: { type: 'string' }, total: { type: 'number' } }, required: ['orderId', 'total'] };
const CANCELLED = { type: 'object', properties: { orderId: { type: 'string' }, reason: { type: 'string' } }, required: ['orderId'] };
const USER = { type: 'object', properties: { userId: { type: 'integer' } }, required: ['userId'] };
export const PUBLISHES: EventCatalog<Published> = {
  'order.created': { version: 2, schema: ORDER },
  'order.cancelled': { version: 1, schema: CANCELLED },
  'user.registered': { version: 1, schema: USER },
};
const ORDER_EVENTS = { 'order.created': PUBLISHES['order.created'], 'order.cancelled': PUBLISHES['order.cancelled'] };

type Message = EventMessage<string, unknown>;

/** A handler class recording what it receives; `fail` decides whether a delivery throws. */
export class Recorder {
  readonly received: Message[] = [];
  readonly times: number[] = [];
  fail: (message: Message) => boolean = () => false;
  async handle(message: Message): Promise<void> {
    this.received.push(message);
    this.times.push(performance.now());
    if (this.fail(message)) throw new Error(`cannot handle ${message.name} yet`);
  }
  async onOrder(message: Message): Promise<void> {
    return this.handle(message);
  }
  async onUser(message: Message): Promise<void> {
    return this.handle(message);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms}ms waiting for ${what}`);
    await sleep(20);
  }
}

export function eventSuite(harness: Harness): void {
  const opened: { bus: EventBus<unknown>; exchange: string }[] = [];
  let exchange = '';
  /** The subscribing service, named for this test alone: queues live on the broker, not in the exchange. */
  let shipping = '';

  /** Opens one service's bus on this test's exchange. */
  async function service(name: string, parts: { publishes?: boolean; subscriptions?: Subscription<Recorder>[]; receivers?: Receiver[]; settings?: Record<string, string> }) {
    const handlers = new Recorder();
    const log = captureLogger(name);
    const settings: Record<string, string> = { EVENT_RETRY_DELAYS: '100ms,200ms', ...harness.settings, ...parts.settings };
    const bus = await eventBus<Published, Recorder>({
      service: name,
      definition: {
        exchange,
        schemas: [],
        ...(parts.publishes ? { publishes: PUBLISHES } : {}),
        ...(parts.subscriptions ? { subscriptions: parts.subscriptions } : {}),
        ...(parts.receivers ? { receivers: parts.receivers } : {}),
      },
      logger: log.logger,
      setting: (n) => settings[n],
      handlers: () => handlers,
    });
    await bus.open();
    opened.push({ bus: bus as EventBus<unknown>, exchange });
    await until(() => bus.health().then(() => true, () => false), 20_000, `${name} connected`);
    return { bus, handlers, log, publish: bus.publish! };
  }

  /** Stops one service's bus before the test ends. */
  async function stop(s: { bus: EventBus<Published> }): Promise<void> {
    opened.splice(opened.findIndex((o) => o.bus === s.bus), 1);
    await s.bus.close();
  }

  const orders = (handler: 'onOrder' | 'onUser' = 'onOrder', patterns = ['order.*']): Subscription<Recorder> => ({
    handler,
    patterns,
    events: handler === 'onOrder' ? ORDER_EVENTS : { 'user.registered': PUBLISHES['user.registered'] },
  });

  describe(`events over the ${harness.name} transport`, () => {
    afterEach(async () => {
      for (const { bus } of opened.splice(0).reverse()) await bus.close();
    });

    async function fresh(): Promise<void> {
      exchange = `test-${harness.name}-${randomUUID().slice(0, 8)}`;
      shipping = `shipping-${exchange.slice(-8)}`;
    }

    afterEach(async () => {
      await harness.cleanup(exchange, topologies.splice(0));
    });
    const topologies: QueueTopology[] = [];
    const track = <T extends { bus: EventBus<Published> }>(s: T): T => (topologies.push(...s.bus.topology), s);

    it('delivers a published event to the subscriber with its payload, id, version and request id', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders()] }));
      const producer = await service('orders', { publishes: true });
      await withRequestId('req-42', () => producer.publish('order.created', { orderId: 'o-1', total: 12.5 }));
      await until(() => consumer.handlers.received.length === 1, 10_000, 'the delivery');
      const [message] = consumer.handlers.received;
      expect(message).toMatchObject({ name: 'order.created', version: 2, payload: { orderId: 'o-1', total: 12.5 }, requestId: 'req-42', attempt: 1 });
      expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(consumer.bus.topology.map((t) => t.queue)).toEqual([`${shipping}.onOrder`]);
    });

    it('a pattern subscription gets every matching event; a service subscribed to other events gets none of them', async () => {
      await fresh();
      const all = track(await service(`audit-${exchange.slice(-8)}`, { subscriptions: [orders()] }));
      const users = track(await service(`crm-${exchange.slice(-8)}`, { subscriptions: [orders('onUser', ['user.registered'])] }));
      const producer = await service('orders', { publishes: true });
      await producer.publish('order.created', { orderId: 'o-1', total: 1 });
      await producer.publish('order.cancelled', { orderId: 'o-1', reason: 'changed mind' });
      await producer.publish('user.registered', { userId: 7 });
      await until(() => all.handlers.received.length === 2 && users.handlers.received.length === 1, 10_000, 'the deliveries');
      await sleep(300);
      expect(all.handlers.received.map((m) => m.name).sort()).toEqual(['order.cancelled', 'order.created']);
      expect(users.handlers.received.map((m) => [m.name, m.payload])).toEqual([['user.registered', { userId: 7 }]]);
    });

    it('a bad payload or an event the service does not publish throws at the call site, and nothing is sent', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders()] }));
      const producer = await service('orders', { publishes: true });
      const publish = producer.publish as (name: string, payload: unknown) => Promise<void>;
      expect(() => publish('order.created', { orderId: 1, total: 2 })).toThrow(InvalidEvent);
      expect(() => publish('order.created', { orderId: 'o' })).toThrow("order.created: the payload must have required property 'total'");
      expect(() => publish('order.shipped', { orderId: 'o' })).toThrow('orders does not publish order.shipped');
      await producer.publish('order.cancelled', { orderId: 'ok' });
      await until(() => consumer.handlers.received.length === 1, 10_000, 'the good event');
      expect(consumer.handlers.received[0].payload).toEqual({ orderId: 'ok' });
    });

    it('a handler that throws is retried after each delay, then dead-lettered with the reason', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders()] }));
      consumer.handlers.fail = () => true;
      const producer = await service('orders', { publishes: true });
      await producer.publish('order.created', { orderId: 'o-9', total: 3 });
      await until(() => consumer.handlers.received.length === 3, 15_000, 'three attempts');
      const dead = await until(async () => {
        const d = await harness.deadLetters(exchange, `${shipping}.onOrder`);
        return d.length === 1 ? d : undefined;
      }, 10_000, 'the dead letter');
      expect(consumer.handlers.received.map((m) => m.attempt)).toEqual([1, 2, 3]);
      const [t1, t2, t3] = consumer.handlers.times;
      // Delays of 100 ms and 200 ms (a TTL may expire a little early or late; the order holds).
      expect(t2 - t1).toBeGreaterThanOrEqual(80);
      expect(t3 - t2).toBeGreaterThanOrEqual(160);
      expect(dead[0]).toMatchObject({ queue: `${shipping}.onOrder`, name: 'order.created', attempts: 3, id: consumer.handlers.received[0].id });
      expect(dead[0].reason).toContain('onOrder failed: cannot handle order.created yet');
      expect(JSON.parse(dead[0].body)).toEqual({ orderId: 'o-9', total: 3 });
      await sleep(300);
      expect(consumer.handlers.received).toHaveLength(3);

      // An operator re-queues it once the handler is fixed: a first delivery again.
      consumer.handlers.fail = () => false;
      expect(await harness.retryDead(exchange, `${shipping}.onOrder`)).toBe(1);
      await until(() => consumer.handlers.received.length === 4, 10_000, 'the re-queued delivery');
      expect(consumer.handlers.received[3]).toMatchObject({ attempt: 1, payload: { orderId: 'o-9', total: 3 } });
      expect(await harness.deadLetters(exchange, `${shipping}.onOrder`)).toEqual([]);
    });

    it('a malformed message goes to the dead-letter queue at once, and the consumer carries on', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders()] }));
      await harness.inject(exchange, { id: 'm-1', name: 'order.created', body: '{not json' });
      await harness.inject(exchange, { id: 'm-2', name: 'order.created', body: JSON.stringify({ orderId: 5, total: 1 }) });
      await harness.inject(exchange, { name: 'order.created', body: JSON.stringify({ orderId: 'x', total: 1 }) });
      await harness.inject(exchange, { id: 'm-4', name: 'order.created', body: JSON.stringify({ orderId: 'fine', total: 1 }) });
      await until(() => consumer.handlers.received.length === 1, 10_000, 'the good message');
      const dead = await until(async () => {
        const d = await harness.deadLetters(exchange, `${shipping}.onOrder`);
        return d.length === 3 ? d : undefined;
      }, 10_000, 'three dead letters');
      const reasons = Object.fromEntries(dead.map((d) => [d.id ?? 'none', d.reason]));
      expect(reasons['m-1']).toMatch(/^malformed: the body is not JSON/);
      expect(reasons['m-2']).toMatch(/^invalid payload of order.created: payload\/orderId must be string/);
      expect(reasons.none).toBe('malformed: the message has no message id');
      expect(dead.every((d) => d.attempts === 1)).toBe(true);
      expect(consumer.handlers.received.map((m) => m.id)).toEqual(['m-4']);
    });

    it('a duplicate delivery (the same message id) is handled once', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders()] }));
      const body = JSON.stringify({ orderId: 'dup', total: 1 });
      await harness.inject(exchange, { id: 'same-id', name: 'order.created', body });
      await harness.inject(exchange, { id: 'same-id', name: 'order.created', body });
      await harness.inject(exchange, { id: 'other-id', name: 'order.created', body });
      await until(() => consumer.handlers.received.length >= 2, 10_000, 'the deliveries');
      await sleep(400);
      expect(consumer.handlers.received.map((m) => m.id).sort()).toEqual(['other-id', 'same-id']);
      expect(consumer.log.text()).toContain('same-id was already handled; skipped');
    });

    /** The subscriber of order events, as a publisher lists it. */
    const receiver = (): Receiver => ({ service: shipping, handler: 'onOrder', patterns: ['order.*'] });

    it('an event published before its subscriber ever ran waits in the queue its publisher declared', async () => {
      await fresh();
      const shipping = receiver();
      const producer = await service('orders', { publishes: true, receivers: [shipping] });
      expect(producer.bus.receivers).toEqual([{ queue: `${shipping.service}.onOrder`, patterns: ['order.*'] }]);
      await producer.publish('order.created', { orderId: 'early', total: 1 });
      await producer.publish('order.cancelled', { orderId: 'early' });
      await producer.publish('user.registered', { userId: 1 });
      await stop(producer);

      const consumer = track(await service(shipping.service, { subscriptions: [orders()] }));
      await until(() => consumer.handlers.received.length === 2, 10_000, 'the events published before shipping ran');
      expect(consumer.handlers.received.map((m) => [m.name, m.payload])).toEqual([
        ['order.created', { orderId: 'early', total: 1 }],
        ['order.cancelled', { orderId: 'early' }],
      ]);
      expect(producer.log.text()).not.toContain('failed');
      expect(consumer.log.text()).not.toContain('failed');
    });

    it('a publisher declaring the queue of a subscriber that runs already agrees with it, and each event arrives once', async () => {
      await fresh();
      const shipping = receiver();
      const consumer = track(await service(shipping.service, { subscriptions: [orders()] }));
      const producer = await service('orders', { publishes: true, receivers: [shipping] });
      await producer.publish('order.created', { orderId: 'o-1', total: 1 });
      await until(() => consumer.handlers.received.length === 1, 10_000, 'the delivery');
      // And the subscriber restarting declares it once more, beside the publisher's declaration.
      await stop(consumer);
      await producer.publish('order.cancelled', { orderId: 'o-1' });
      const again = track(await service(shipping.service, { subscriptions: [orders()] }));
      await until(() => again.handlers.received.length === 1, 10_000, 'the delivery after the restart');
      await sleep(300);
      expect([...consumer.handlers.received, ...again.handlers.received].map((m) => m.name)).toEqual(['order.created', 'order.cancelled']);
      expect(producer.log.text()).not.toContain('failed');
      expect(again.log.text()).not.toContain('failed');
    });

    it('several subscriptions of one service each get their own queue', async () => {
      await fresh();
      const consumer = track(await service(shipping, { subscriptions: [orders(), orders('onUser', ['user.registered'])] }));
      const producer = await service('orders', { publishes: true });
      await producer.publish('user.registered', { userId: 1 });
      await producer.publish('order.created', { orderId: 'o', total: 1 });
      await until(() => consumer.handlers.received.length === 2, 10_000, 'both deliveries');
      expect(consumer.bus.topology.map((t) => [t.queue, t.patterns, t.dead])).toEqual([
        [`${shipping}.onOrder`, ['order.*'], `${shipping}.onOrder.dead`],
        [`${shipping}.onUser`, ['user.registered'], `${shipping}.onUser.dead`],
      ]);
      expect(consumer.bus.topology[0].retries.map((r) => r.queue)).toEqual([`${shipping}.onOrder.retry.100ms`, `${shipping}.onOrder.retry.200ms`]);
    });
  });
}
