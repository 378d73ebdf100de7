/**
 * Events when the broker goes away, on a RabbitMQ node of the test's own (never the shared
 * one): a restart in the middle of 10,000 confirmed publishes (every confirmed event delivered
 * and handled exactly once), and the outbox across a SIGKILL between commit and relay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRabbitMQ, type PrivateRabbit } from '../helpers/private-servers.js';
import { health, sleep, waitFor, type ServiceProcess } from '../helpers/service-process.js';
import { dropDatabases, eventsSystem, freshDatabase, getJson, query, startService, type Seen } from './events-system.js';

let dir: string;
let broker: PrivateRabbit;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  [dir, broker] = await Promise.all([eventsSystem(), privateRabbitMQ()]);
}, 600_000);

afterAll(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
  await broker?.destroy();
  await dropDatabases();
}, 120_000);

async function start(service: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const p = await startService(dir, service, { BROKER_URL: broker.url, EVENT_PUBLISH_TIMEOUT_MS: '90000', ...env });
  running.push(p);
  return p;
}

const healthy = (s: ServiceProcess) => waitFor(async () => ((await health(s)).status === 200 ? true : undefined), 60_000, 'healthy');

describe('a broker restart', () => {
  it('in the middle of 10,000 confirmed publishes: every confirmed event is delivered and handled exactly once', async () => {
    const ledgerDb = await freshDatabase('ledger');
    const ledger = await start('ledger', { DATABASE_URL: ledgerDb });
    const emitter = await start('emitter');
    await healthy(ledger);
    await healthy(emitter);
    const count = 10_000;
    const burst = fetch(`${emitter.url}/burst`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, prefix: 'restart' }) });
    // Restart once the stream is under way.
    await waitFor(async () => (Number((await query<{ n: string }>(ledgerDb, 'SELECT count(*) AS n FROM ticks'))[0].n) > 0 ? true : undefined), 30_000, 'the first ticks');
    await broker.stop();
    const during = Number((await query<{ n: string }>(ledgerDb, 'SELECT count(*) AS n FROM ticks'))[0].n);
    await sleep(500);
    await broker.start();
    const reply = (await (await burst).json()) as { confirmed: number[]; failed: number };
    expect(reply.failed).toBe(0);
    expect(reply.confirmed).toHaveLength(count);
    expect(during).toBeLessThan(count);
    await healthy(ledger);
    const done = await waitFor(async () => {
      const t = await getJson<{ total: number; distinct: number }>(ledger, '/ticks');
      return t.distinct === count ? t : undefined;
    }, 120_000, 'every confirmed tick handled');
    // Handled exactly once: one row per event, though some were delivered twice.
    expect(done.total).toBe(count);
    expect(emitter.output()).toContain('broker reconnected');
    expect(ledger.output()).toContain('broker reconnected');
  }, 300_000);
});

describe('the outbox', () => {
  it('publishes an event committed before a SIGKILL once, after the restart', async () => {
    const notifier = await start('notifier');
    await healthy(notifier);
    await broker.stop();
    const ordersDb = await freshDatabase('orders');
    let orders = await start('orders', { DATABASE_URL: ordersDb });
    const placed = await fetch(`${orders.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'kept', total: 3 }) });
    expect(placed.status).toBe(201);
    // Committed with the order, not yet relayed (the broker is away); then the process dies.
    expect(await query(ordersDb, 'SELECT name FROM microgen_outbox')).toEqual([{ name: 'order.placed' }]);
    orders.child.kill('SIGKILL');
    await orders.stop();
    await broker.start();
    await healthy(notifier);
    orders = await start('orders', { DATABASE_URL: ordersDb });
    const seen = await waitFor(async () => {
      const s = await getJson<Seen[]>(notifier, '/seen');
      return s.some((m) => m.name === 'order.placed') ? s : undefined;
    }, 60_000, 'the relayed event');
    await sleep(1500);
    const after = (await getJson<Seen[]>(notifier, '/seen')).filter((m) => m.name === 'order.placed');
    expect(after).toHaveLength(1);
    expect(JSON.parse(after[0].payload)).toEqual({ orderId: 'kept', total: 3 });
    expect(seen.filter((m) => m.name === 'order.placed')).toHaveLength(1);
    expect(await query(ordersDb, 'SELECT * FROM microgen_outbox')).toEqual([]);
  }, 300_000);
});
