// What the HTTP benchmarks share (bench/http.js, bench/gateway.js): a generated system built once
// under .e2e/, processes started on free ports, autocannon runs and medians.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { linkInstall } from '../scripts/shared-install.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Generates bench/<name>/spec.yaml into a fresh folder under .e2e/, writes bench/<name>/handler.ts.txt
 * as the items service's operations, links the shared install and builds. Returns the folder.
 */
export function buildBenchSystem(name) {
  mkdirSync(join(root, '.e2e'), { recursive: true });
  const work = mkdtempSync(join(root, '.e2e', `bench-${name}-`));
  execFileSync(process.execPath, [join(root, 'bin', 'microgen.js'), 'generate', join(root, 'bench', name, 'spec.yaml'), '--out', work], { stdio: 'pipe' });
  writeFileSync(join(work, 'services', 'items', 'src', 'handlers', 'operations.ts'), readFileSync(join(root, 'bench', name, 'handler.ts.txt')));
  linkInstall(work, { onInstall: () => console.error('installing the generated system’s dependencies (once)…') });
  execFileSync(process.execPath, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: work, stdio: 'inherit' });
  return work;
}

/** Starts `node <script>` in `cwd` on a free port (production settings) and waits until it answers HTTP. */
export async function startServer(label, cwd, script, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      break;
    } catch {
      if (i > 400 || child.exitCode !== null) throw new Error(`${label} did not start:\n${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { url, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

/** Requests per second (autocannon's average) for `options`; any failed request fails the run. */
export async function requestsPerSecond(options) {
  const result = await autocannon(options);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${options.url}: ${bad} failed requests of ${result.requests.total}`);
  return result.requests.average;
}
