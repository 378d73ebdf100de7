/**
 * The outbox and inbox of a service with PostgreSQL (the server scripts/start-services.sh
 * starts), through `openService` as a generated service uses them: `this.ctx.publish` inside
 * `this.ctx.db.transaction` is stored with the transaction and sent after commit; a subscription
 * handler's writes commit with its inbox row; several relays publish each row once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgres, type Postgres } from '../src/db/postgres.js';
import type { EventMessage } from '../src/events/message.js';
import { memoryBroker, memoryTransport } from '../src/events/memory.js';
import { openService, type OpenedService } from '../src/service/service.js';
import { PUBLISHES, sleep, until, type Order } from './events-suite.js';
import { captureLogger } from './helpers.js';

const SERVER = 'postgres://microgen:microgen@127.0.0.1:5432';
const DB = `runtime_outbox_${process.pid}`;
const URL = `${SERVER}/${DB}`;

type Ctx = { readonly db: Postgres; readonly publish: (name: 'order.created', payload: Order) => Promise<void> };

/** A subscription handler that writes to the database and may fail after writing. */
class Shipping {
  failNext = 0;
  readonly seen: string[] = [];
  constructor(private readonly ctx: Ctx) {}
  async onOrder(message: EventMessage<string, unknown>): Promise<void> {
    this.seen.push(message.id);
    const { orderId } = message.payload as Order;
    await this.ctx.db.query('INSERT INTO shipments (order_id) VALUES ($1)', [orderId]);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('the warehouse is closed');
    }
  }
}

const opened: OpenedService<unknown, unknown, unknown>[] = [];
/** The database the services of the running test use: the server, or an embedded one (`pglite:`). */
let databaseUrl = URL;
const embeddedDir = mkdtempSync(join(tmpdir(), 'microgen-outbox-pglite-'));

async function open(name: string, exchange: string, parts: { publishes?: boolean; subscribes?: boolean }, settings: Record<string, string> = {}) {
  const env = { DATABASE_URL: databaseUrl, EVENT_RETRY_DELAYS: '50ms', EVENT_RELAY_INTERVAL_MS: '200', ...settings };
  const service = await openService(
    {
      name,
      port: 0,
      discovery: 'dns',
      components: [],
      routes: [],
      resources: { db: postgres(URL) },
      clients: () => ({}),
      events: {
        exchange,
        schemas: [],
        ...(parts.publishes ? { publishes: PUBLISHES } : {}),
        ...(parts.subscribes ? { subscriptions: [{ handler: 'onOrder' as const, patterns: ['order.created'], events: { 'order.created': PUBLISHES['order.created'] } }] } : {}),
      },
      handlers: { operations: () => ({}), events: (ctx) => new Shipping(ctx as unknown as Ctx) },
    },
    { env, logger: captureLogger(name).logger },
  );
  opened.push(service as OpenedService<unknown, unknown, unknown>);
  return service;
}

const admin = new pg.Pool({ connectionString: `${SERVER}/postgres`, max: 1 });

afterEach(async () => {
  for (const s of opened.splice(0).reverse()) await s.close();
});

afterAll(async () => {
  rmSync(embeddedDir, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
});

/** Records what reaches the exchange (a queue of its own on the in-process broker). */
async function tap(exchange: string) {
  const got: { id: string; body: unknown }[] = [];
  const queue = `tap-${randomUUID()}`;
  await memoryTransport(exchange).open([
    {
      topology: { queue, handler: 'tap', patterns: ['#'], retries: [], dead: `${queue}.dead` },
      prefetch: 1000,
      handle: async (d) => {
        got.push({ id: d.id!, body: JSON.parse(d.body) });
        return { kind: 'ack' };
      },
    },
  ]);
  return got;
}

describe.each([
  ['a PostgreSQL server', () => URL],
  ['the embedded PostgreSQL', () => `pglite:${join(embeddedDir, randomUUID())}`],
])('the outbox and inbox on %s', (_, urlOf) => {
  it('stores a publish made inside a transaction with it, sends it after commit, and drops it on rollback', async () => {
    databaseUrl = urlOf();
    const exchange = `outbox-${randomUUID().slice(0, 8)}`;
    const got = await tap(exchange);
    const orders = await open('orders', exchange, { publishes: true });
    const ctx = orders.ctx as unknown as Ctx;
    await ctx.db.query('CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY)');

    let seenInside = -1;
    await ctx.db.transaction(async (tx) => {
      await tx.query('INSERT INTO orders (id) VALUES ($1)', ['o-1']);
      await ctx.publish('order.created', { orderId: 'o-1', total: 5 });
      // Not sent yet: the row is in the outbox of an uncommitted transaction.
      await sleep(300);
      seenInside = got.length;
      const { rows } = await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM microgen_outbox');
      expect(Number(rows[0].n)).toBe(1);
    });
    expect(seenInside).toBe(0);
    await until(() => got.length === 1, 5_000, 'the relayed event');
    expect(got[0].body).toEqual({ orderId: 'o-1', total: 5 });

    await expect(
      ctx.db.transaction(async () => {
        await ctx.publish('order.created', { orderId: 'o-2', total: 1 });
        throw new Error('out of stock');
      }),
    ).rejects.toThrow('out of stock');
    await sleep(500);
    expect(got).toHaveLength(1);
    const { rows } = await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM microgen_outbox');
    expect(Number(rows[0].n)).toBe(0);
  });

  it("commits a handler's writes with its inbox row, skips a duplicate, and rolls a failed attempt back", async () => {
    databaseUrl = urlOf();
    await inboxCase();
  });
});

describe('the outbox on a server', () => {
  it('two relays (replicas) on one outbox publish each event once', async () => {
    databaseUrl = URL;
    const exchange = `replicas-${randomUUID().slice(0, 8)}`;
    const got = await tap(exchange);
    const a = await open('orders', exchange, { publishes: true });
    await open('orders', exchange, { publishes: true });
    const ctx = a.ctx as unknown as Ctx;
    await Promise.all(Array.from({ length: 500 }, (_, i) => ctx.publish('order.created', { orderId: `r-${i}`, total: i })));
    await until(() => got.length >= 500, 15_000, '500 events');
    await sleep(500);
    expect(got).toHaveLength(500);
    expect(new Set(got.map((g) => g.id)).size).toBe(500);
  });
});

async function inboxCase(): Promise<void> {
  {
    const exchange = `inbox-${randomUUID().slice(0, 8)}`;
    const shipping = await open('shipping', exchange, { subscribes: true });
    const ctx = shipping.ctx as unknown as Ctx;
    await ctx.db.query('CREATE TABLE IF NOT EXISTS shipments (order_id text NOT NULL)');
    await ctx.db.query('TRUNCATE shipments');
    const handlers = shipping.events as Shipping;
    handlers.failNext = 1;

    const broker = memoryBroker(exchange);
    const body = JSON.stringify({ orderId: 'o-7', total: 1 });
    broker.publish({ id: 'msg-1', name: 'order.created', version: 2, body });
    await until(() => handlers.seen.length === 2, 5_000, 'the failed attempt and its retry');
    broker.publish({ id: 'msg-1', name: 'order.created', version: 2, body });
    await sleep(300);

    // Two attempts ran the handler (the first rolled back), the duplicate did not.
    expect(handlers.seen).toEqual(['msg-1', 'msg-1']);
    const { rows } = await ctx.db.query<{ order_id: string }>('SELECT order_id FROM shipments');
    expect(rows).toEqual([{ order_id: 'o-7' }]);
    const inbox = await ctx.db.query<{ consumer: string; message_id: string }>('SELECT consumer, message_id FROM microgen_inbox');
    expect(inbox.rows).toEqual([{ consumer: 'shipping.onOrder', message_id: 'msg-1' }]);
  }
}
