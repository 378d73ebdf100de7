#!/usr/bin/env node
// `npm run bench:saga`: what the saga engine costs over making the same calls by hand. A 3-step
// saga (reserve → charge → ship, each a POST to a real local HTTP service in a process of its own,
// with its Idempotency-Key) against the same three calls made directly with the ServiceCaller,
// side by side in one run:
//
// - latency: one saga at a time, from `start` to `completed` (`wait`), median per saga;
// - throughput: CONCURRENCY sagas in flight, sagas completed per second.
//
// Sides: the direct calls; the engine on its in-memory store; the engine on PostgreSQL (each
// transition is a row update, two per step; skipped when DATABASE_URL's server does not answer).
// Each round runs every side once, alternating; the median of the rounds is printed.
// Settings: DATABASE_URL (postgres://microgen:microgen@127.0.0.1:5432/postgres), BENCH_SAGAS (300),
// BENCH_CONCURRENCY (50), BENCH_ROUNDS (3). Run `npm run build` first.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { createSagaEngine, fixedEndpoint, memorySagaStore, postgresSagaStore, ServiceCaller, stepResult } from '../runtime/dist/index.js';
import { poolDatabase } from '../runtime/dist/db/postgres.js';
import { freePort, median } from './lib.js';

if (process.argv[2] === 'callee') {
  // The three services in one process: each POST answers 201 with a small JSON body.
  let n = 0;
  createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ id: `r-${++n}`, step: req.url });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  }).listen(Number(process.argv[3]), '127.0.0.1', () => process.send?.('ready'));
} else {
  await main();
}

async function main() {
  const dbServer = process.env.DATABASE_URL ?? 'postgres://microgen:microgen@127.0.0.1:5432/postgres';
  const sagas = Number(process.env.BENCH_SAGAS ?? 300);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const logger = pino({ level: 'warn' });

  const port = await freePort();
  const callee = spawn(process.execPath, [fileURLToPath(import.meta.url), 'callee', String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.once('exit', () => callee.kill());
  await new Promise((resolve) => callee.once('message', resolve));

  const policy = { timeoutMs: 5_000, retry: { attempts: 1, backoff: 'fixed', minMs: 10, maxMs: 10 }, breaker: { failMax: 1000, resetTimeoutMs: 1000 } };
  const caller = new ServiceCaller('shop', policy, fixedEndpoint(`http://127.0.0.1:${port}`), logger);
  const STEPS = ['reserve', 'charge', 'ship'];
  const call = async (step, body, key) => stepResult(await caller.call({ name: step, method: 'POST', path: `/${step}`, statuses: [201] }, { body, headers: { 'idempotency-key': key } }));
  const definition = { name: 'bench', steps: STEPS.map((name) => ({ name, action: (run) => call(name, run.input, run.idempotencyKey) })) };

  /** The three calls by hand, with the keys the engine would send. */
  const direct = {
    label: 'ServiceCaller, 3 calls',
    run: async (input) => {
      const id = randomUUID();
      for (const step of STEPS) await call(step, input, `${id}/${step}/action`);
    },
  };
  const engineSide = async (label, store) => {
    const engine = createSagaEngine({ definition, store, logger, setting: () => undefined });
    await engine.open();
    return {
      label,
      engine,
      run: async (input) => {
        const { id } = await engine.start(input);
        const view = await engine.wait(id, 30_000);
        if (view?.state !== 'completed') throw new Error(`saga ${id} ended ${view?.state}`);
      },
    };
  };

  const sides = [direct, await engineSide('saga engine, memory store', memorySagaStore())];
  const probe = new pg.Client({ connectionString: dbServer, connectionTimeoutMillis: 2_000 });
  let dbName;
  let pool;
  try {
    await probe.connect();
    dbName = `bench_saga_${process.pid}`;
    await probe.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(dbServer);
    url.pathname = `/${dbName}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
    pool.on('error', () => undefined); // a connection the DROP DATABASE at the end cuts
    sides.push(await engineSide('saga engine, PostgreSQL store', postgresSagaStore(poolDatabase(pool))));
  } catch (err) {
    console.log(`PostgreSQL store: skipped (${err.message})`);
  }

  const input = { orderId: 'o-1', total: 42, items: [{ sku: 'a', qty: 1 }] };
  const latency = async (side) => {
    const times = [];
    for (let i = 0; i < sagas; i++) {
      const started = performance.now();
      await side.run(input);
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const throughput = async (side) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < sagas * 2) await side.run(input);
      }),
    );
    return (sagas * 2) / ((performance.now() - started) / 1000);
  };

  // Warm-up: JIT, connections, the table.
  for (const side of sides) for (let i = 0; i < 50; i++) await side.run(input);
  const results = new Map(sides.map((s) => [s.label, { latency: [], throughput: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      results.get(side.label).latency.push(await latency(side));
      results.get(side.label).throughput.push(await throughput(side));
    }
  }

  console.log(`a 3-step saga (3 POSTs to a local HTTP service) vs the same calls made directly; ${sagas} sagas one at a time, ${sagas * 2} with ${concurrency} in flight; median of ${rounds} rounds`);
  console.log('');
  console.log('| | ms per saga, one at a time | sagas/s, concurrent |');
  console.log('| --- | --- | --- |');
  const base = results.get(direct.label);
  for (const side of sides) {
    const { latency: l, throughput: t } = results.get(side.label);
    const extra = side === direct ? '' : ` (+${(median(l) - median(base.latency)).toFixed(2)} ms)`;
    const share = side === direct ? '' : ` (${Math.round((100 * median(t)) / median(base.throughput))}%)`;
    console.log(`| ${side.label} | ${median(l).toFixed(2)}${extra} | ${Math.round(median(t))}${share} |`);
  }

  callee.kill();
  for (const side of sides) await side.engine?.close();
  await pool?.end();
  if (dbName) await probe.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await probe.end().catch(() => undefined);
}
