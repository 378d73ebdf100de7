/**
 * `Idempotency-Key` records in a service's PostgreSQL (`microgen_idempotency`): on the server
 * scripts/start-services.sh starts (a private database) and on the embedded PGlite, a recorded
 * answer survives a restart; two instances on one database run the handler once for one key; a
 * claim whose owner died is taken over after its lease, one being worked on is not; expired rows
 * are deleted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPglite } from '../src/db/pglite.js';
import { poolDatabase, postgres, type Postgres } from '../src/db/postgres.js';
import { defineService, postgresIdempotencyStore, type OperationRequest, type RouteDef } from '../src/index.js';
import { captureLogger } from './helpers.js';

const SERVER = 'postgres://microgen:microgen@127.0.0.1:5432';
const DB = `runtime_idempotency_${process.pid}`;
const URL = `${SERVER}/${DB}`;
const embeddedDir = mkdtempSync(join(tmpdir(), 'microgen-idempotency-pglite-'));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Operations {
  calls = 0;
  async create(request: OperationRequest): Promise<{ status: 201; body: { item: string; call: number } }> {
    const call = ++this.calls;
    const { item, delayMs } = request.body as { item: string; delayMs?: number };
    if (delayMs) await sleep(delayMs);
    if (item === 'crash' && call === 1) throw new Error('the disk is full');
    return { status: 201, body: { item, call } };
  }
}

const ROUTES: RouteDef<Operations>[] = [{ operation: 'create', method: 'POST', url: '/orders', schema: {} }];

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

const admin = new pg.Pool({ connectionString: `${SERVER}/postgres`, max: 1 });
afterAll(async () => {
  rmSync(embeddedDir, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
});

async function start(databaseUrl: string) {
  const operations = new Operations();
  const service = defineService({
    name: 'orders',
    port: 0,
    discovery: 'dns',
    components: [],
    routes: ROUTES,
    resources: { db: postgres(URL) },
    clients: () => ({}),
    handlers: { operations: () => operations },
  });
  const svc = await service.run({ env: { DATABASE_URL: databaseUrl }, logger: captureLogger('orders').logger });
  running.push(svc);
  return { url: svc.url, operations, stop: () => svc.stop() };
}

const post = (url: string, key: string, body: unknown): Promise<Response> =>
  fetch(`${url}/orders`, { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each([
  ['a PostgreSQL server', () => URL],
  ['the embedded PostgreSQL', () => `pglite:${join(embeddedDir, randomUUID())}`],
])('idempotency records on %s', (_, urlOf) => {
  it('replays a recorded answer after the service restarted, without running the handler', async () => {
    const databaseUrl = urlOf();
    const key = `saga-${randomUUID()}/reserve/action`;
    const first = await start(databaseUrl);
    const answered = await post(first.url, key, { item: 'lamp' });
    expect(answered.status).toBe(201);
    const body = await answered.text();
    await first.stop();

    const second = await start(databaseUrl);
    const replayed = await post(second.url, key, { item: 'lamp' });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('content-type')).toBe(answered.headers.get('content-type'));
    expect(await replayed.text()).toBe(body);
    expect((await post(second.url, key, { item: 'sofa' })).status).toBe(422);
    expect(second.operations.calls).toBe(0);
  });

  it('does not record a 5xx: the retry runs the handler and its answer is recorded', async () => {
    const { url, operations } = await start(urlOf());
    const key = `k-${randomUUID()}`;
    expect((await post(url, key, { item: 'crash' })).status).toBe(500);
    expect(await (await post(url, key, { item: 'crash' })).json()).toEqual({ item: 'crash', call: 2 });
    const replayed = await post(url, key, { item: 'crash' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(operations.calls).toBe(2);
  });
});

describe('idempotency records shared by replicas (a PostgreSQL server)', () => {
  it('two instances on one database run the handler once for one key', async () => {
    const [a, b] = [await start(URL), await start(URL)];
    const key = `k-${randomUUID()}`;
    const request = { item: 'desk', delayMs: 400 };
    const [first, second] = await Promise.all([post(a.url, key, request), sleep(100).then(() => post(b.url, key, request))]);
    expect([first.status, second.status]).toEqual([201, 409]);
    expect(await second.json()).toMatchObject({ error: 'idempotency_key_in_use' });
    const replayed = await post(b.url, key, request);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await replayed.json()).toEqual(await first.json());
    expect(a.operations.calls + b.operations.calls).toBe(1);
  });

  it('two instances claiming one key at the same moment: exactly one runs it', async () => {
    const [a, b] = [await start(URL), await start(URL)];
    for (let i = 0; i < 10; i++) {
      const key = `race-${i}-${randomUUID()}`;
      const replies = await Promise.all([post(a.url, key, { item: 'x', delayMs: 300 }), post(b.url, key, { item: 'x', delayMs: 300 })]);
      // One ran it; the other met its claim (or, arriving late, its answer).
      const ran = replies.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
      expect(ran).toHaveLength(1);
      expect(replies.filter((r) => !ran.includes(r)).map((r) => r.status)).toEqual([expect.toBeOneOf([409, 201])]);
    }
    expect(a.operations.calls + b.operations.calls).toBe(10);
  });
});

describe.each([
  ['a PostgreSQL server', async () => {
    await start(URL); // creates the database and the table
    const pool = new pg.Pool({ connectionString: URL, max: 4 });
    return { db: poolDatabase(pool), close: () => pool.end() };
  }],
  ['the embedded PostgreSQL', async () => {
    const db = await openPglite(join(embeddedDir, randomUUID()));
    return { db: db as Postgres, close: () => db.close() };
  }],
])('the PostgreSQL store on %s', (_, open) => {
  const logger = captureLogger('orders').logger;
  const answer = { status: 201, contentType: 'application/json; charset=utf-8', body: '{"id":1}' };

  it("takes a claim over once its owner stopped renewing it, and ignores the late owner's answer", async () => {
    const { db, close } = await open();
    try {
      const service = `lease-${randomUUID()}`;
      const held = postgresIdempotencyStore(db, { service, ttlMs: 60_000, logger, leaseMs: 300 });
      const other = postgresIdempotencyStore(db, { service, ttlMs: 60_000, logger, leaseMs: 300 });
      const renewed = await held.claim('k', 'f');
      // Renewed every 100 ms while its handler runs: still held well after the lease.
      await sleep(700);
      expect((await other.claim('k', 'f')).kind).toBe('in-progress');
      if (renewed.kind !== 'claimed') throw new Error(renewed.kind);
      await renewed.claim.complete(answer);
      expect(await other.claim('k', 'f')).toEqual({ kind: 'replay', response: answer });

      // An owner that died: its row stays pending without renewal.
      await db.query("UPDATE microgen_idempotency SET status = NULL, expires_at = now() + interval '300 milliseconds' WHERE service = $1", [service]);
      await sleep(400);
      const taken = await other.claim('k', 'f');
      expect(taken.kind).toBe('claimed');
      await renewed.claim.complete({ status: 200, body: 'late' });
      if (taken.kind === 'claimed') await taken.claim.complete(answer);
      expect(await held.claim('k', 'f')).toEqual({ kind: 'replay', response: answer });
    } finally {
      await close();
    }
  });

  it('deletes expired records', async () => {
    const { db, close } = await open();
    try {
      const service = `prune-${randomUUID()}`;
      const store = postgresIdempotencyStore(db, { service, ttlMs: 100, logger, pruneEveryMs: 0 });
      for (const key of ['a', 'b', 'c']) {
        const outcome = await store.claim(key, 'f');
        if (outcome.kind === 'claimed') await outcome.claim.complete(answer);
      }
      await sleep(200);
      expect((await store.claim('a', 'f')).kind).toBe('claimed');
      const { rows } = await db.query<{ key: string }>('SELECT key FROM microgen_idempotency WHERE service = $1', [service]);
      expect(rows).toEqual([{ key: 'a' }]);
    } finally {
      await close();
    }
  });
});
