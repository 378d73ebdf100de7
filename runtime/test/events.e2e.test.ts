/**
 * The event bus's behavioural suite over RabbitMQ (the broker scripts/start-services.sh starts on
 * 127.0.0.1:5672), and what only a broker has: the declared topology (quorum queues, delivery
 * limit, TTL retry queues, bindings), health, and a publish that fails loudly when the broker is away.
 */
import { execFileSync } from 'node:child_process';
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { DELIVERY_LIMIT, listDeadLetters, retryDeadLetters } from '../src/events/amqp.js';
import { eventBus } from '../src/events/bus.js';
import { PublishError } from '../src/events/transport.js';
import { eventSuite, PUBLISHES } from './events-suite.js';
import { captureLogger } from './helpers.js';

export const BROKER_URL = process.env.TEST_BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

let admin: ChannelModel;
beforeAll(async () => {
  admin = await connect(BROKER_URL);
  admin.on('error', () => undefined);
});
afterAll(async () => {
  await admin.close();
});

eventSuite({
  name: 'rabbitmq',
  settings: { BROKER_URL },
  async inject(exchange, message) {
    const channel = await admin.createConfirmChannel();
    channel.publish(exchange, message.name ?? 'x', Buffer.from(message.body), { persistent: true, ...(message.id ? { messageId: message.id } : {}), ...(message.name ? { type: message.name } : {}) });
    await channel.waitForConfirms();
    await channel.close();
  },
  async deadLetters(_exchange, queue) {
    const [report] = await listDeadLetters(BROKER_URL, [queue]);
    return [...report.messages];
  },
  async retryDead(_exchange, queue) {
    const [result] = await retryDeadLetters(BROKER_URL, [queue]);
    return result.moved;
  },
  async cleanup(exchange, topology) {
    const channel = await admin.createChannel();
    channel.on('error', () => undefined);
    for (const t of topology) for (const q of [t.queue, t.dead, ...t.retries.map((r) => r.queue)]) await channel.deleteQueue(q);
    if (exchange) await channel.deleteExchange(exchange);
    await channel.close();
  },
});

/** `rabbitmqctl list_queues` of the shared node, as { name → columns }. */
function listQueues(columns: string[]): Map<string, string[]> {
  const out = execFileSync('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', ...columns], { encoding: 'utf8', timeout: 30_000 });
  return new Map(out.trim().split('\n').map((line) => line.split('\t')).map(([name, ...rest]) => [name, rest]));
}

describe('RabbitMQ topology and failures', () => {
  it('declares quorum queues with a delivery limit, TTL retry queues dead-lettering back, a dead-letter queue, and the bindings', async () => {
    const exchange = `topology-${process.pid}`;
    const log = captureLogger();
    const settings: Record<string, string> = { BROKER_URL, EVENT_RETRY_DELAYS: '1s,10s,1m' };
    const bus = await eventBus({
      service: 'billing',
      definition: { exchange, schemas: [], subscriptions: [{ handler: 'onOrder', patterns: ['order.*', 'refund.made'], events: { 'order.created': PUBLISHES['order.created'] } }] },
      logger: log.logger,
      setting: (n) => settings[n],
      handlers: () => ({ onOrder: async () => undefined }),
    });
    await bus.open();
    try {
      await expect.poll(() => bus.health().then(() => 'up', (e: Error) => e.message), { timeout: 10_000 }).toBe('up');
      const queues = listQueues(['type', 'durable', 'arguments']);
      const [type, durable, args] = queues.get('billing.onOrder')!;
      expect([type, durable]).toEqual(['quorum', 'true']);
      expect(args).toContain(`{"x-delivery-limit",${DELIVERY_LIMIT}}`);
      expect(args).toContain('{"x-dead-letter-routing-key","billing.onOrder.dead"}');
      expect(args).toContain('{"x-dead-letter-strategy","at-least-once"}');
      for (const [retry, ttl] of [['billing.onOrder.retry.1s', 1000], ['billing.onOrder.retry.10s', 10_000], ['billing.onOrder.retry.1m', 60_000]] as const) {
        const [rType, , rArgs] = queues.get(retry)!;
        expect(rType).toBe('quorum');
        expect(rArgs).toContain(`{"x-message-ttl",${ttl}}`);
        expect(rArgs).toContain('{"x-dead-letter-routing-key","billing.onOrder"}');
      }
      expect(queues.get('billing.onOrder.dead')?.slice(0, 2)).toEqual(['classic', 'true']);
      const bindings = execFileSync('rabbitmqctl', ['list_bindings', '-q', '--no-table-headers', 'source_name', 'destination_name', 'routing_key'], { encoding: 'utf8' });
      const mine = bindings.split('\n').filter((l) => l.startsWith(`${exchange}\t`)).sort();
      expect(mine).toEqual([`${exchange}\tbilling.onOrder\torder.*`, `${exchange}\tbilling.onOrder\trefund.made`]);
      expect(log.text()).toContain('broker connected; 1 subscription(s) consuming');
    } finally {
      await bus.close();
      const channel = await admin.createChannel();
      for (const q of bus.topology.flatMap((t) => [t.queue, t.dead, ...t.retries.map((r) => r.queue)])) await channel.deleteQueue(q);
      await channel.deleteExchange(exchange);
      await channel.close();
    }
  });

  it('declares the queues of its receivers as they declare them; one that exists with other arguments is logged and left alone', async () => {
    const exchange = `receivers-${process.pid}`;
    const stale = `legacy-${process.pid}`;
    const setup = await admin.createChannel();
    // A receiver's queue declared by another version of its service: a classic queue.
    await setup.assertQueue(`${stale}.onOrder`, { durable: true });
    await setup.close();
    const log = captureLogger();
    const settings: Record<string, string> = { BROKER_URL };
    const bus = await eventBus({
      service: 'orders',
      definition: {
        exchange,
        schemas: [],
        publishes: PUBLISHES,
        receivers: [
          { service: stale, handler: 'onOrder', patterns: ['order.created'] },
          { service: 'billing', handler: 'onOrder', patterns: ['order.*', 'refund.made'] },
        ],
      },
      logger: log.logger,
      setting: (n) => settings[n],
      handlers: () => undefined,
    });
    await bus.open();
    try {
      await expect.poll(() => bus.health().then(() => 'up', (e: Error) => e.message), { timeout: 10_000 }).toBe('up');
      await bus.publish!('order.created', { orderId: 'o', total: 1 });
      const count = async (queue: string): Promise<number> => {
        const channel = await admin.createChannel();
        const { messageCount } = await channel.checkQueue(queue);
        await channel.close();
        return messageCount;
      };
      await expect.poll(() => count('billing.onOrder'), { timeout: 5_000 }).toBe(1);
      const queues = listQueues(['type', 'arguments']);
      const [type, args] = queues.get('billing.onOrder')!;
      expect(type).toBe('quorum');
      expect(args).toContain(`{"x-delivery-limit",${DELIVERY_LIMIT}}`);
      expect(args).toContain('{"x-dead-letter-routing-key","billing.onOrder.dead"}');
      // Its retry and dead-letter queues are billing's to declare.
      expect(queues.has('billing.onOrder.dead')).toBe(false);
      expect(queues.get(`${stale}.onOrder`)?.[0]).toBe('classic');
      expect(log.text()).toContain(`declaring ${stale}.onOrder, which receives events orders publishes, failed`);
      expect(log.text()).toContain('the queues of 2 receiver(s) of its events declared');
      const bindings = execFileSync('rabbitmqctl', ['list_bindings', '-q', '--no-table-headers', 'source_name', 'destination_name', 'routing_key'], { encoding: 'utf8' });
      expect(bindings.split('\n').filter((l) => l.startsWith(`${exchange}\t`)).sort()).toEqual([`${exchange}\tbilling.onOrder\torder.*`, `${exchange}\tbilling.onOrder\trefund.made`]);
    } finally {
      await bus.close();
      const channel = await admin.createChannel();
      for (const { queue } of bus.receivers) await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
      await channel.close();
    }
  });

  it('starts while the broker is away, reports it down, and a publish fails loudly after the publish timeout', async () => {
    const port = await freePort();
    const log = captureLogger();
    const settings: Record<string, string> = { BROKER_URL: `amqp://guest:guest@127.0.0.1:${port}`, EVENT_PUBLISH_TIMEOUT_MS: '400' };
    const bus = await eventBus({ service: 'orders', definition: { exchange: 'nowhere', schemas: [], publishes: PUBLISHES }, logger: log.logger, setting: (n) => settings[n], handlers: () => undefined });
    await bus.open();
    try {
      await expect(bus.health()).rejects.toThrow(/not connected to the broker/);
      const started = performance.now();
      await expect(bus.publish!('order.cancelled', { orderId: 'o' })).rejects.toThrow(PublishError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(350);
      await expect(bus.publish!('order.cancelled', { orderId: 'o' })).rejects.toThrow(/order\.cancelled .* failed: the broker is unreachable .*within 400ms/);
      expect(log.lines().filter((l) => String(l.msg).startsWith('broker unreachable'))).toHaveLength(1);
    } finally {
      await bus.close();
    }
  });

  it('refuses a BROKER_URL that is not an AMQP URL', async () => {
    const settings: Record<string, string> = { BROKER_URL: 'http://127.0.0.1:5672' };
    const bus = await eventBus({ service: 'orders', definition: { exchange: 'x', schemas: [], publishes: PUBLISHES }, logger: captureLogger().logger, setting: (n) => settings[n], handlers: () => undefined });
    await expect(bus.open()).rejects.toThrow('BROKER_URL must be amqp:// or amqps://');
  });
});
