#!/usr/bin/env node
// `npm run bench:dev`: how long `microgen dev` takes on the shop until the product service
// answers through the gateway, on a built system whose embedded databases exist (the case a user
// meets every day; the first run, which creates them, is printed once beside it, with what it
// said it was doing). Each run starts the built CLI as a user would and polls
// GET /api/products through the gateway (a public route): the run ends at the first answer
// that came from the product service itself — its handler is the generated stub, which answers
// 501 with the Error shape `not_implemented` — not at one the gateway made up (502/504 while the
// service is not listening yet). The gateway limits a client to 100 requests a minute, so it
// is polled only once its port accepts connections, every POLL_MS; a 429 fails the run rather
// than count as an answer. Then SIGINT. Node's own start-up (`node -e 0`) is printed as a gauge
// of how busy the machine is. Settings: BENCH_RUNS (5). Target: ≤ 5 s.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { linkInstall } from '../scripts/shared-install.js';
import { freePort, median, root } from './lib.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const SERVICES = ['gateway', 'user', 'product', 'order', 'inventory', 'payment', 'notification'];
/** Between two requests once the gateway listens: 100 requests last 5 s, more than a start takes. */
const POLL_MS = 50;
/** Between two connection attempts before it listens (these reach no rate limit). */
const CONNECT_POLL_MS = 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

mkdirSync(join(root, '.e2e'), { recursive: true });
const work = mkdtempSync(join(root, '.e2e', 'bench-dev-'));
copyFileSync(join(root, 'examples/shop/microgen.yaml'), join(work, 'microgen.yaml'));
const generated = spawnSync(process.execPath, [join(root, 'bin/microgen.js'), 'generate'], { cwd: work, encoding: 'utf8' });
if (generated.status !== 0) throw new Error(`generate exited ${generated.status}:\n${generated.stderr}`);
linkInstall(work, { onInstall: () => console.error('installing the generated system’s dependencies (once)…') });

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * One `microgen dev`: milliseconds from its start until the product service answered through
 * the gateway, what it printed before its summary, and the "ready in" it reported.
 */
async function runDev() {
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [`${s.toUpperCase()}_PORT`, String(await freePort())])));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/microgen.js'), 'dev', '--no-watch'], { cwd: work, env: { ...process.env, ...ports, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const alive = () => {
    if (child.exitCode !== null) throw new Error(`microgen dev exited ${child.exitCode}:\n${out}${err}`);
  };
  const port = Number(ports.GATEWAY_PORT);
  while (!(await accepts(port))) {
    alive();
    await sleep(CONNECT_POLL_MS);
  }
  const url = `http://127.0.0.1:${port}/api/products`;
  for (;;) {
    alive();
    const res = await fetch(url).catch(() => undefined);
    const body = res ? await res.text() : '';
    if (res?.status === 429) throw new Error(`the gateway's rate limit answered before the product service did:\n${out}`);
    if (res?.status === 501 && JSON.parse(body).error === 'not_implemented') break;
    if (res && ![502, 503, 504].includes(res.status)) throw new Error(`unexpected ${res.status} ${body} from ${url}`);
    await sleep(POLL_MS);
  }
  const ms = performance.now() - started;
  // The summary comes once every part answers, maybe just after the product service.
  for (let i = 0; i < 200 && !out.includes(' is running ('); i++) await sleep(25);
  child.kill('SIGINT');
  await exited;
  const reported = out.match(/ready in ([\d.]+) s/)?.[1];
  const said = out.split('\n').filter((line) => line && !line.includes('│') && !line.startsWith('  '));
  return { ms, said: said.slice(0, said.findIndex((l) => l.includes(' is running (')) + 1), reported: reported ? Number(reported) * 1000 : undefined };
}

function nodeStartup() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t);
  }
  return median(times);
}

const s = (ms) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);
const node = nodeStartup();
const first = await runDev();
const later = [];
for (let i = 0; i < runs; i++) later.push(await runDev());
const times = later.map((r) => r.ms);
console.log(`microgen dev on the shop, until the product service answers GET /api/products through the gateway`);
console.log(`  first run (creates 3 embedded databases): ${s(first.ms)}; it said:`);
for (const line of first.said) console.log(`    ${line}`);
console.log(`  later runs: median ${s(median(times))}, fastest ${s(Math.min(...times))} of ${runs} (${times.map(s).join(', ')}); target ≤ 5 s`);
console.log(`  "ready in" the summary reported (every part answering): ${later.map((r) => s(r.reported)).join(', ')}`);
console.log(`  a later run said: ${later[0].said.filter((l) => !l.includes(' is running (')).join(' / ') || '(nothing before its summary)'}`);
console.log(`  node -e 0 on this machine now: ${s(node)} (median of 5)`);
