#!/usr/bin/env node
// `npm run bench:events`: events through RabbitMQ, the runtime against raw amqplib on the same
// broker in one run, and the outbox relay's latency.
//
// - Throughput: N confirmed publishes of ~100-byte messages (a window of outstanding confirms on
//   both sides) to a quorum queue, consumed with the same prefetch and acknowledged one by one.
//   "publish" is the rate of confirmed publishes; "end to end" counts from the first publish to
//   the last acknowledgement. The runtime side is the real thing: `publish` validates the payload
//   against its schema, the consumer parses and validates it, dedupes by message id and calls a
//   handler. The raw side sends the same message properties (id, type, version header, …), so both
//   move the same bytes. Target: runtime ≥ 80% of raw end to end.
// - Outbox relay latency (needs PostgreSQL): one event at a time stored in the outbox, from the
//   INSERT's return to the subscriber's handler, relayed through RabbitMQ; p50 and p99.
//
// Each round runs each side in a fresh process of its own (alternating), so neither pays for the
// other's warm-up, garbage or async-context tracking.
// Settings: BROKER_URL (amqp://guest:guest@127.0.0.1:5672), DATABASE_URL (postgres://microgen:microgen@127.0.0.1:5432/postgres),
// BENCH_MESSAGES (20000), BENCH_ROUNDS (3, the best round of each side is kept), BENCH_LATENCY_EVENTS (300).
// Run `npm run build` first. Exit code 1 below the target.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect } from 'amqplib';
import pg from 'pg';
import { pino } from 'pino';
import { eventBus } from '../runtime/dist/events/bus.js';
import { postgres } from '../runtime/dist/db/postgres.js';

const url = process.env.BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const dbServer = process.env.DATABASE_URL ?? 'postgres://microgen:microgen@127.0.0.1:5432/postgres';
const count = Number(process.env.BENCH_MESSAGES ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const latencyEvents = Number(process.env.BENCH_LATENCY_EVENTS ?? 300);
const WINDOW = 256;
const PREFETCH = 50;
const logger = pino({ level: 'warn' });

const PAD = 'x'.repeat(72);
/** ~100 bytes of JSON: {"n":12345,"pad":"xxx…"} */
const payloadOf = (n) => ({ n, pad: PAD });
const SCHEMA = { type: 'object', properties: { n: { type: 'integer' }, pad: { type: 'string' } }, required: ['n', 'pad'] };
const QUORUM = { durable: true, arguments: { 'x-queue-type': 'quorum' } };

async function raw(round) {
  const exchange = `bench-raw-${round}-${randomUUID().slice(0, 6)}`;
  const queue = `${exchange}.q`;
  const pubConn = await connect(url);
  const subConn = await connect(url);
  const pub = await pubConn.createConfirmChannel();
  const sub = await subConn.createChannel();
  await pub.assertExchange(exchange, 'topic', { durable: true });
  await pub.assertQueue(queue, QUORUM);
  await pub.bindQueue(queue, exchange, 'bench.*');
  await sub.prefetch(PREFETCH);
  let received = 0;
  let allReceived;
  const done = new Promise((resolve) => (allReceived = resolve));
  await sub.consume(queue, (msg) => {
    JSON.parse(msg.content.toString());
    sub.ack(msg);
    if (++received === count) allReceived(performance.now());
  });
  const start = performance.now();
  await new Promise((resolve, reject) => {
    let sent = 0;
    let confirmed = 0;
    const pump = () => {
      while (sent < count && sent - confirmed < WINDOW) {
        const n = sent++;
        // The same properties the runtime sends, so both sides move the same bytes.
        const properties = { persistent: true, messageId: randomUUID(), type: 'bench.tick', contentType: 'application/json', appId: 'bench-raw', timestamp: Math.floor(Date.now() / 1000), headers: { 'x-event-version': 1 } };
        pub.publish(exchange, 'bench.tick', Buffer.from(JSON.stringify(payloadOf(n))), properties, (err) => {
          if (err) return reject(err);
          if (++confirmed === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const published = performance.now();
  const end = await done;
  await pub.deleteQueue(queue);
  await pub.deleteExchange(exchange);
  await pubConn.close();
  await subConn.close();
  return { publish: count / ((published - start) / 1000), endToEnd: count / ((end - start) / 1000) };
}

async function openBus(service, exchange, parts, store) {
  const settings = { BROKER_URL: url, EVENT_PREFETCH: String(PREFETCH) };
  const bus = await eventBus({ service, definition: { exchange, schemas: [], ...parts }, logger, setting: (n) => settings[n], handlers: () => parts.handlers, store });
  await bus.open();
  for (let i = 0; i < 200; i++) {
    try {
      await bus.health();
      return bus;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`${service} did not connect`);
}

/** Closes the buses and removes what they declared. */
async function closeBuses(exchange, publisher, subscriber) {
  await publisher.close();
  await subscriber.close();
  const conn = await connect(url);
  const ch = await conn.createChannel();
  for (const t of subscriber.topology) for (const q of [t.queue, t.dead, ...t.retries.map((r) => r.queue)]) await ch.deleteQueue(q);
  await ch.deleteExchange(exchange);
  await conn.close();
}

async function runtime(round) {
  const exchange = `bench-rt-${round}-${randomUUID().slice(0, 6)}`;
  const event = { version: 1, schema: SCHEMA };
  let received = 0;
  let allReceived;
  const done = new Promise((resolve) => (allReceived = resolve));
  const handlers = {
    async onTick() {
      if (++received === count) allReceived(performance.now());
    },
  };
  const subscriber = await openBus('bench-sub', exchange, { subscriptions: [{ handler: 'onTick', patterns: ['bench.*'], events: { 'bench.tick': event } }], handlers });
  const publisher = await openBus('bench-pub', exchange, { publishes: { 'bench.tick': event } });
  const start = performance.now();
  // As handlers would: many publishes in flight at once; the transport keeps the confirm window.
  await Promise.all(Array.from({ length: count }, (_, n) => publisher.publish('bench.tick', payloadOf(n))));
  const published = performance.now();
  const end = await done;
  await closeBuses(exchange, publisher, subscriber);
  return { publish: count / ((published - start) / 1000), endToEnd: count / ((end - start) / 1000) };
}

async function relayLatency() {
  const name = `bench_outbox_${process.pid}`;
  const admin = new pg.Client({ connectionString: dbServer });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  const dbUrl = new URL(dbServer);
  dbUrl.pathname = `/${name}`;
  const resource = postgres(dbUrl.toString())({ service: 'bench', logger, setting: () => undefined });
  await resource.open();
  const exchange = `bench-outbox-${randomUUID().slice(0, 6)}`;
  const event = { version: 1, schema: SCHEMA };
  const arrived = new Map();
  const handlers = {
    async onTick(message) {
      arrived.get(message.payload.n)?.(performance.now());
    },
  };
  const subscriber = await openBus('bench-sub', exchange, { subscriptions: [{ handler: 'onTick', patterns: ['bench.*'], events: { 'bench.tick': event } }], handlers });
  const publisher = await openBus('bench-pub', exchange, { publishes: { 'bench.tick': event } }, resource.eventStore);
  const latencies = [];
  for (let n = 0; n < latencyEvents; n++) {
    const got = new Promise((resolve) => arrived.set(n, resolve));
    await publisher.publish('bench.tick', payloadOf(n));
    const stored = performance.now();
    latencies.push((await got) - stored);
  }
  await closeBuses(exchange, publisher, subscriber);
  await resource.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] };
}

const side = process.argv[2] === '--side' ? process.argv[3] : undefined;
if (side) {
  const result = side === 'raw' ? await raw(Number(process.argv[4])) : await runtime(Number(process.argv[4]));
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const measure = (which, round) => JSON.parse(execFileSync(process.execPath, [self, '--side', which, String(round)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const best = (xs, key) => Math.max(...xs.map((x) => x[key]));
const raws = [];
const runtimes = [];
for (let r = 0; r < rounds; r++) {
  raws.push(measure('raw', r));
  runtimes.push(measure('runtime', r));
}
const rawEnd = best(raws, 'endToEnd');
const rtEnd = best(runtimes, 'endToEnd');
const ratio = rtEnd / rawEnd;
const f = (x) => Math.round(x).toLocaleString('en-US');
console.log(`${count} messages of ~100 bytes, confirm window ${WINDOW}, prefetch ${PREFETCH}, quorum queue; best of ${rounds} rounds`);
console.log('');
console.log('| | confirmed publishes/s | end to end msg/s |');
console.log('| --- | --- | --- |');
console.log(`| raw amqplib | ${f(best(raws, 'publish'))} | ${f(rawEnd)} |`);
console.log(`| @microgen/runtime | ${f(best(runtimes, 'publish'))} | ${f(rtEnd)} |`);
console.log(`| runtime / raw | ${Math.round((100 * best(runtimes, 'publish')) / best(raws, 'publish'))}% | ${Math.round(100 * ratio)}% |`);
let latency;
try {
  latency = await relayLatency();
} catch (err) {
  console.log(`\noutbox relay latency: skipped (${err.message})`);
}
if (latency) {
  console.log('');
  console.log(`outbox relay latency over ${latencyEvents} events (stored → handled, through RabbitMQ): p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms`);
}
process.exitCode = ratio >= 0.8 ? 0 : 1;
