#!/usr/bin/env node
// `npm run bench:gateway`: the same route through the generated Node gateway and straight to the
// service, in one run, with the least a Node proxy can do (bench/gateway/bare-proxy.mjs) beside
// them as the floor of any proxy hop on this machine. Two measures per route:
// - latency: one connection, requests one after another, each timed with hrtime (autocannon
//   records whole milliseconds, and a local request takes a fraction of one); the p50s and the
//   added latency (target: at most +30% at p50 on the route with a database-like wait);
// - throughput: autocannon with BENCH_CONNECTIONS (10), requests/s both ways.
// Sides alternate in short runs, so a busy moment of the machine (2 cores, shared) hits both
// alike; each number is the median of BENCH_ROUNDS (5) runs. Run `npm run build` first; the
// system's dependencies are installed once under .e2e/installs/ (scripts/shared-install.js).
// Exit code 1 when the target is missed.
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { buildBenchSystem, median, requestsPerSecond, root, startServer } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const sequential = Number(process.env.BENCH_REQUESTS ?? 2000);
const SECRET = 'bench-secret-long-enough-for-hs256-0123456789';
const TARGET = 0.3;

/** `count` requests one after another on one kept-alive connection; each one's time in µs. */
async function timeSequential(url, headers, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      request(url, { agent, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  agent.destroy();
  return times;
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const throughput = (url, headers) => requestsPerSecond({ url, headers, connections, duration: seconds });

const work = buildBenchSystem('gateway');
try {
  const service = await startServer('items', join(work, 'services', 'items'), 'dist/main.js');
  const gateway = await startServer('gateway', join(work, 'gateway'), 'dist/main.js', { ITEMS_SERVICE_URL: service.url, BENCH_JWT_SECRET: SECRET });
  const bare = await startServer('bare proxy', root, join('bench', 'gateway', 'bare-proxy.mjs'), { TARGET_URL: service.url });
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
  const cases = [
    { label: 'GET /items/{id}', path: '/items/3', prefix: '/api', headers: {} },
    { label: 'GET /stored-items/{id} (a 2 ms wait)', path: '/stored-items/3', prefix: '/api', headers: {}, target: true },
    { label: 'GET /items/{id}, token checked and limit counted', path: '/items/3', prefix: '/secure', headers: { authorization: `Bearer ${token}` } },
  ].map((c) => ({ ...c, direct: `${service.url}${c.path}`, bare: `${bare.url}${c.prefix}${c.path}`, through: `${gateway.url}${c.prefix}${c.path}` }));
  const SIDES = ['direct', 'bare', 'through'];
  const rows = [];
  for (const c of cases) {
    // Warm-up: JIT, connection pools, schema compilation.
    for (const side of SIDES) await timeSequential(c[side], c.headers, 300);
    const p50 = { direct: [], bare: [], through: [] };
    const p99 = { direct: [], bare: [], through: [] };
    const rps = { direct: [], bare: [], through: [] };
    for (let round = 0; round < rounds; round++) {
      const sides = round % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of sides) {
        const times = await timeSequential(c[side], c.headers, Math.ceil(sequential / rounds));
        p50[side].push(percentile(times, 0.5));
        p99[side].push(percentile(times, 0.99));
      }
      for (const side of sides) rps[side].push(await throughput(c[side], c.headers));
    }
    const row = { label: c.label, target: c.target === true };
    for (const side of SIDES) row[side] = { p50: median(p50[side]), p99: median(p99[side]), rps: median(rps[side]) };
    row.added = row.through.p50 / row.direct.p50 - 1;
    rows.push(row);
  }
  await gateway.stop();
  await bare.stop();
  await service.stop();

  const us = (x) => `${x.toFixed(0)} µs`;
  const n = (x) => Math.round(x).toLocaleString('en-US');
  console.log(`Node ${process.version}; latency: ${sequential} requests one after another per side; throughput: ${connections} connections, ${seconds}s runs; ${rounds} alternating rounds; LOG_LEVEL=warn`);
  console.log('| route | p50 direct | p50 bare proxy | p50 gateway | added by the gateway at p50 | p99 direct / gateway | req/s direct | req/s bare proxy | req/s gateway |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const added = `+${(r.added * 100).toFixed(0)}% (${us(r.through.p50 - r.direct.p50)}; bare proxy ${us(r.bare.p50 - r.direct.p50)})`;
    console.log(`| ${r.label} | ${us(r.direct.p50)} | ${us(r.bare.p50)} | ${us(r.through.p50)} | ${added} | ${us(r.direct.p99)} / ${us(r.through.p99)} | ${n(r.direct.rps)} | ${n(r.bare.rps)} | ${n(r.through.rps)} |`);
  }
  const target = rows.find((r) => r.target);
  console.log(`added latency at p50 on ${target.label}: +${(target.added * 100).toFixed(1)}% (target ≤ ${TARGET * 100}%)`);
  process.exitCode = target.added <= TARGET ? 0 : 1;
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
