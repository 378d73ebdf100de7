/**
 * The saga engine on PostgreSQL (the server scripts/start-services.sh starts, in a database of this
 * test's own, and the embedded PGlite): outcomes, stuck sagas and their retry, idempotent starts
 * and hand-overs read back from `microgen_sagas`; a host process killed with SIGKILL mid-step
 * whose saga another owner resumes once the lease ran out, sending the interrupted step's
 * idempotency key again; and two engines on one database that never run one saga twice.
 * The killed host runs the built runtime (runtime/dist, made by `npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { poolDatabase, postgres, type Postgres } from '../src/db/postgres.js';
import { openPglite, type EmbeddedPostgres } from '../src/db/pglite.js';
import { createSagaEngine, postgresSagaStore, stepResult, type SagaDefinition, type SagaEngine, type SagaView } from '../src/index.js';
import { openService } from '../src/service/service.js';
import { captureLogger } from './helpers.js';
import { until } from './events-suite.js';
import { callerOf, defaultAnswer, handOverCase, orderSaga, sagaHost, POLICY, received, startCallee, startShop, type Callee, type Callers, type Shop } from './saga-helpers.js';

const SERVER = 'postgres://microgen:microgen@127.0.0.1:5432';
const DB = `runtime_sagas_${process.pid}`;
const DB_URL = `${SERVER}/${DB}`;
const HOST = fileURLToPath(new URL('./saga-host.mjs', import.meta.url));

const admin = new pg.Pool({ connectionString: `${SERVER}/postgres`, max: 1 });
let pool: pg.Pool;
let server: Postgres;
let embedded: EmbeddedPostgres;
const embeddedDir = mkdtempSync(join(tmpdir(), 'microgen-saga-pglite-'));

let shop: Shop;
let payment: Callee;
let shipping: Callee;
let callers: Callers;
const engines: SagaEngine<unknown>[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  pool = new pg.Pool({ connectionString: DB_URL, max: 5 });
  // pool.end() resolves before its connections are gone; the DROP at the end may cut one.
  pool.on('error', () => undefined);
  server = poolDatabase(pool);
  embedded = await openPglite(embeddedDir);
  shop = await startShop();
  ({ payment, shipping, callers } = shop);
});

afterAll(async () => {
  await shop.close();
  await embedded.close();
  rmSync(embeddedDir, { recursive: true, force: true });
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
});

beforeEach(() => shop.reset());

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const engine of engines.splice(0)) await engine.close();
});

/** A saga name of its own per test: the tests share one table. */
const uniqueName = (): string => `order-${randomUUID().slice(0, 8)}`;

async function engineOn<Input>(db: Postgres, definition: SagaDefinition<Input>, owner: string, settings: Record<string, string> = {}): Promise<SagaEngine<Input>> {
  const all: Record<string, string> = { SAGA_RETRY_DELAYS: '50ms,50ms', SAGA_LEASE_MS: '1000', ...settings };
  const engine = createSagaEngine({ definition, store: postgresSagaStore(db), logger: captureLogger(owner).logger, setting: (n) => all[n], owner });
  await engine.open();
  engines.push(engine);
  return engine;
}

async function settled<Input>(engine: SagaEngine<Input>, id: string, ms = 10_000): Promise<SagaView> {
  const view = await engine.wait(id, ms);
  if (!view) throw new Error(`no saga ${id}`);
  return view;
}

const stateOf = (view: SagaView) => Object.fromEntries(view.steps.map((s) => [s.name, s.state]));

describe.each([
  ['a PostgreSQL server', () => server],
  ['the embedded PostgreSQL', () => embedded],
])('the PostgreSQL saga store on %s', (_, dbOf) => {
  it('completes a saga, and compensates one into stuck and out of it by a retry, all read back from microgen_sagas', async () => {
    const name = uniqueName();
    const engine = await engineOn(dbOf(), orderSaga(() => callers, name), 'solo');
    const done = await settled(engine, (await engine.start({ orderId: 'p-1', total: 4 })).id);
    expect(done.state).toBe('completed');
    expect(stateOf(done)).toEqual({ reserve: 'succeeded', charge: 'succeeded', ship: 'succeeded' });

    shipping.answer = () => ({ status: 409, body: { error: 'conflict', message: 'no courier' } });
    payment.answer = (req, n) => (req.url.endsWith('/refund') ? { status: 500 } : defaultAnswer('payment')(req, n));
    const { id } = await engine.start({ orderId: 'p-2', total: 4 });
    const stuck = await settled(engine, id);
    expect(stuck.state).toBe('stuck');
    expect((await engine.list({ state: 'stuck' })).map((v) => v.id)).toEqual([id]);
    expect((await engine.list()).map((v) => v.id)).toEqual([id, done.id]);
    // What the table holds, as an operator would look at it.
    const { rows } = await dbOf().query<{ state: string; owner: string | null; lease_until: unknown }>('SELECT state, owner, lease_until FROM microgen_sagas WHERE id = $1', [id]);
    expect(rows).toEqual([{ state: 'stuck', owner: null, lease_until: null }]);

    payment.answer = defaultAnswer('payment');
    await engine.retry(id);
    const view = await settled(engine, id);
    expect(view.state).toBe('compensated');
    expect(stateOf(view)).toEqual({ reserve: 'compensated', charge: 'compensated', ship: 'failed' });
    expect(view.history.map((h) => h.event)).toEqual([
      'started',
      'step-succeeded',
      'step-succeeded',
      'step-failed',
      'compensation-retrying',
      'compensation-retrying',
      'compensation-failed',
      'stuck',
      'retried',
      'compensation-succeeded',
      'compensation-succeeded',
      'compensated',
    ]);
    expect(new Set(received.filter((r) => r.url.endsWith('/refund')).map((r) => r.key))).toEqual(new Set([`${id}/charge/compensation`]));
  });

  it('an idempotency key starts one saga, also from two engines at once', async () => {
    const name = uniqueName();
    const a = await engineOn(dbOf(), orderSaga(() => callers, name), 'a');
    const b = await engineOn(dbOf(), orderSaga(() => callers, name), 'b');
    const starts = await Promise.all([a, b, a, b].map((e) => e.start({ orderId: 'p-3', total: 1 }, { idempotencyKey: 'same' })));
    expect(new Set(starts.map((s) => s.id)).size).toBe(1);
    await settled(a, starts[0].id);
    expect(received.filter((r) => r.service === 'inventory')).toHaveLength(1);
    // The key belongs to its saga: another saga may use it.
    const other = await engineOn(dbOf(), orderSaga(() => callers, uniqueName()), 'c');
    expect((await other.start({ orderId: 'p-3', total: 1 }, { idempotencyKey: 'same' })).id).not.toBe(starts[0].id);
  });

  it('an engine that stops mid-step finishes that step and hands the saga over to another owner', async () => {
    const name = uniqueName();
    await handOverCase(shop, (owner, definition) => engineOn(dbOf(), definition, owner), name);
  });
});

/** A step per name, each `POST /steps/<name>` on one callee: what saga-host.mjs runs too. */
function remoteSaga(name: string, steps: readonly string[], url: string): SagaDefinition<unknown> {
  const caller = callerOf('remote', url, { ...POLICY, timeoutMs: 60_000 });
  return {
    name,
    steps: steps.map((step) => ({
      name: step,
      action: async (run) => stepResult(await caller.call({ name: step, method: 'POST', path: `/steps/${step}`, statuses: [201] }, { body: run.input, headers: { 'idempotency-key': run.idempotencyKey } })),
    })),
  };
}

describe('sagas on a PostgreSQL server, across owners', () => {
  it('a host killed mid-step: another owner resumes the saga once the lease ran out, with the same idempotency key', async () => {
    const name = uniqueName();
    const remote = await startCallee('remote');
    try {
      let killedAt = 0;
      let answerFirstB!: () => void;
      const killed = new Promise<void>((resolve) => (answerFirstB = resolve));
      remote.answer = async (req) => {
        // The first `b` gets no answer before its host is killed while waiting for it.
        if (req.url === '/steps/b' && received.filter((r) => r.url === '/steps/b').length === 1) await killed;
        return { status: 201, body: { step: req.url } };
      };
      const child = spawn(process.execPath, [HOST], {
        env: { PATH: process.env.PATH, DATABASE_URL: DB_URL, CALLEE_URL: remote.url, SAGA_NAME: name, SAGA_STEPS: 'a,b,c', SAGA_INPUT: '{"n":1}', SAGA_OWNER: 'doomed', SAGA_LEASE_MS: '1500' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => out.includes('\n'), 15_000, 'the host to start its saga');
      const { id } = JSON.parse(out) as { id: string };
      await until(() => received.some((r) => r.url === '/steps/b'), 10_000, 'step b to be called');
      child.kill('SIGKILL');
      killedAt = Date.now();
      await new Promise((resolve) => child.once('exit', resolve));
      answerFirstB();

      const { rows } = await pool.query<{ state: string; owner: string; steps: { name: string; state: string; attempts: number }[] }>('SELECT state, owner, steps FROM microgen_sagas WHERE id = $1', [id]);
      expect(rows[0]).toMatchObject({ state: 'running', owner: 'doomed' });
      expect(rows[0].steps.map((s) => [s.name, s.state, s.attempts])).toEqual([
        ['a', 'succeeded', 1],
        ['b', 'running', 1],
        ['c', 'pending', 0],
      ]);

      const heir = await engineOn(server, remoteSaga(name, ['a', 'b', 'c'], remote.url), 'heir', { SAGA_LEASE_MS: '1500' });
      const view = await settled(heir, id, 15_000);
      expect(view.state).toBe('completed');
      const b = received.filter((r) => r.url === '/steps/b');
      expect(b.map((r) => r.key)).toEqual([`${id}/b/action`, `${id}/b/action`]);
      expect(received.filter((r) => r.url === '/steps/a')).toHaveLength(1);
      expect(received.filter((r) => r.url === '/steps/c').map((r) => r.key)).toEqual([`${id}/c/action`]);
      // Not before the dead host's lease ran out (renewed every 500 ms, so at least ~1 s after the kill).
      const resumedAfter = Date.parse(view.history.find((h) => h.event === 'resumed')!.at) - killedAt;
      expect(resumedAfter).toBeGreaterThanOrEqual(700);
      expect(view.history.map((h) => h.event)).toEqual(['started', 'step-succeeded', 'resumed', 'step-succeeded', 'step-succeeded', 'completed']);
    } finally {
      await remote.close();
    }
  });

  it('two engines on one database never run one saga twice, also while taking over sagas of a stopped third', async () => {
    const name = uniqueName();
    const remote = await startCallee('remote');
    try {
      remote.answer = async (req) => ({ status: 201, body: { step: req.url }, delayMs: 20 });
      const steps = ['a', 'b', 'c'];
      const settings = { SAGA_LEASE_MS: '400' };
      // A third engine starts 20 sagas and stops at once, leaving them to the two others.
      const third = await engineOn(server, remoteSaga(name, steps, remote.url), 'third', settings);
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => third.start({ n: i }).then((v) => v.id)));
      await third.close();
      const a = await engineOn(server, remoteSaga(name, steps, remote.url), 'a', settings);
      const b = await engineOn(server, remoteSaga(name, steps, remote.url), 'b', settings);
      // And each starts 10 of its own.
      ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).start({ n: 100 + i }).then((v) => v.id)))));
      for (const id of ids) expect((await settled(a, id, 20_000)).state).toBe('completed');
      const keys = received.map((r) => r.key!);
      expect(keys).toHaveLength(ids.length * steps.length);
      expect(new Set(keys).size).toBe(keys.length);
      const { rows } = await pool.query<{ owner: string | null }>('SELECT owner FROM microgen_sagas WHERE saga = $1', [name]);
      expect(rows.every((r) => r.owner === null)).toBe(true);
    } finally {
      await remote.close();
    }
  });
});

describe('a service with PostgreSQL that hosts a saga', () => {
  it('keeps the saga in its own database', async () => {
    const name = uniqueName();
    const opened = await openService(
      sagaHost({ db: postgres(DB_URL) }, () => [orderSaga(() => callers, name)]),
      { env: { DATABASE_URL: DB_URL }, logger: captureLogger('orders').logger },
    );
    try {
      const [engine] = opened.sagas;
      const view = await settled(engine, (await engine.start({ orderId: 'd-1', total: 1 })).id);
      expect(view.state).toBe('completed');
      const { rows } = await pool.query<{ state: string }>('SELECT state FROM microgen_sagas WHERE saga = $1', [name]);
      expect(rows).toEqual([{ state: 'completed' }]);
    } finally {
      await opened.close();
    }
  });
});
