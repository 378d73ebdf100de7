#!/usr/bin/env node
// `npm run bench:http`: requests per second of a generated route against the same route
// written by hand with Fastify (same JSON Schemas, same logger level, same process settings),
// both measured with autocannon on 127.0.0.1. Prints both and the ratio (target ≥ 90%).
// Run `npm run build` first. The generated system's dependencies are installed once under
// .e2e/installs/ (shared with the end-to-end tests: same key, same layout).
// Settings: BENCH_SECONDS per run (2), BENCH_ROUNDS runs per server (10), BENCH_CONNECTIONS (20),
// LOG_LEVEL (warn: no per-request log lines on either side). Exit code 1 below the target.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const logLevel = process.env.LOG_LEVEL ?? 'warn';

function packageJsons(dir) {
  const out = ['package.json'];
  for (const name of readdirSync(join(dir, 'services'))) if (existsSync(join(dir, 'services', name, 'package.json'))) out.push(`services/${name}/package.json`);
  return out.sort();
}

/** Same scheme as tests/helpers/system.ts linkInstall (without its cross-process lock). */
function linkInstall(dir) {
  const files = packageJsons(dir);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
  const install = join(root, '.e2e', 'installs', hash.digest('hex').slice(0, 16));
  if (!existsSync(join(install, '.done'))) {
    rmSync(install, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(install, f)), { recursive: true });
      copyFileSync(join(dir, f), join(install, f));
    }
    console.error('installing the generated system’s dependencies (once)…');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: install, stdio: 'inherit' });
    writeFileSync(join(install, '.done'), '');
  }
  symlinkSync(join(install, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(label, cwd, script) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], { cwd, env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: logLevel, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}/shelves/1/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x","price":1}' });
      break;
    } catch {
      if (i > 200 || child.exitCode !== null) throw new Error(`${label} did not start:\n${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { url, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

async function measure(url, duration) {
  const result = await autocannon({
    url: `${url}/shelves/3/items`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'lamp', price: 12.5, tags: ['home', 'light'] }),
    connections,
    duration,
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${url}: ${bad} failed requests of ${result.requests.total}`);
  return result.requests.average;
}

// Generate, write the handler, build.
mkdirSync(join(root, '.e2e'), { recursive: true });
const work = mkdtempSync(join(root, '.e2e', 'bench-http-'));
try {
  execFileSync(process.execPath, [join(root, 'bin', 'microgen.js'), 'generate', join(root, 'bench', 'http', 'spec.yaml'), '--out', work], { stdio: 'pipe' });
  writeFileSync(join(work, 'services', 'items', 'src', 'handlers', 'operations.ts'), readFileSync(join(root, 'bench', 'http', 'handler.ts.txt')));
  linkInstall(work);
  execFileSync(process.execPath, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: work, stdio: 'inherit' });
  copyFileSync(join(root, 'bench', 'http', 'hand-written.mjs'), join(work, 'services', 'items', 'hand-written.mjs'));

  const service = join(work, 'services', 'items');
  // Both servers run side by side; short runs alternate between them, so a busy moment of the
  // machine (2 cores, shared) hits both alike. Each side's number is the median of its runs.
  const servers = [
    { label: 'hand-written Fastify', server: await start('hand-written', service, 'hand-written.mjs'), runs: [] },
    { label: 'generated by microgen', server: await start('generated', service, 'dist/main.js'), runs: [] },
  ];
  for (const s of servers) await measure(s.server.url, 2); // warm-up: JIT, schema compilation
  for (let round = 0; round < rounds; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) s.runs.push(await measure(s.server.url, seconds));
  }
  await Promise.all(servers.map((s) => s.server.stop()));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [hand, generated] = servers.map((s) => median(s.runs));
  const ratio = generated / hand;
  console.log(`POST /shelves/{shelf}/items with params, body and response schemas; ${connections} connections; ${rounds} alternating runs of ${seconds}s each; LOG_LEVEL=${logLevel}`);
  console.log('| server | requests/s (median) | runs |');
  console.log('| --- | ---: | --- |');
  for (const s of servers) console.log(`| ${s.label} | ${median(s.runs).toFixed(0)} | ${s.runs.map((x) => x.toFixed(0)).join(', ')} |`);
  console.log(`ratio generated / hand-written: ${(ratio * 100).toFixed(1)}% (target ≥ 90%)`);
  process.exitCode = ratio >= 0.9 ? 0 : 1;
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
