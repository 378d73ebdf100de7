#!/usr/bin/env node
// `npm run bench:dev`: how long `microgen dev` takes on the shop until a request through the
// gateway answers, on a built system whose embedded databases exist (the case a user meets
// every day; the first run, which creates them, is printed once beside it). Each run starts the
// built CLI as a user would, polls GET /api/products through the gateway (a public route), and
// stops with SIGINT. Settings: BENCH_RUNS (5). Target: ≤ 5 s.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { linkInstall } from '../scripts/shared-install.js';
import { freePort, median, root } from './lib.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const SERVICES = ['gateway', 'user', 'product', 'order', 'inventory', 'payment', 'notification'];

mkdirSync(join(root, '.e2e'), { recursive: true });
const work = mkdtempSync(join(root, '.e2e', 'bench-dev-'));
copyFileSync(join(root, 'examples/shop/microgen.yaml'), join(work, 'microgen.yaml'));
await runDev({ generateOnly: true });
linkInstall(work, { onInstall: () => console.error('installing the generated system’s dependencies (once)…') });

/** One `microgen dev`: milliseconds from its start until the gateway answered. */
async function runDev({ generateOnly = false } = {}) {
  if (generateOnly) {
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'bin/microgen.js'), 'generate'], { cwd: work, stdio: 'ignore' });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generate exited ${code}`))));
    });
    return 0;
  }
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [`${s.toUpperCase()}_PORT`, String(await freePort())])));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/microgen.js'), 'dev', '--no-watch'], { cwd: work, env: { ...process.env, ...ports }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${ports.GATEWAY_PORT}/api/products`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`microgen dev exited ${child.exitCode}:\n${err}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - started;
  child.kill('SIGINT');
  await exited;
  return ms;
}

const first = await runDev();
const times = [];
for (let i = 0; i < runs; i++) times.push(await runDev());
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`microgen dev on the shop, until GET /api/products answers through the gateway`);
console.log(`  first run (creates 3 embedded databases): ${s(first)}`);
console.log(`  later runs: median ${s(median(times))} of ${runs} (${times.map(s).join(', ')}); target ≤ 5 s`);
