// One `npm install` per distinct set of dependencies, shared by everything that builds a
// generated system here: the end-to-end tests (tests/helpers/system.ts) and the HTTP benchmark
// (bench/http.js). Installs live in `.e2e/installs/<hash of the package.json files>`; each
// generated system links its `node_modules` to one (tsc and node resolve through the link). A
// lock folder serialises installs across parallel test workers and processes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E = fileURLToPath(new URL('../.e2e', import.meta.url));
/** Longer than any install: a lock this old is a leftover of a killed run. */
const LOCK_STALE_MS = 15 * 60_000;

/** Every file under `folder` (relative to `dir`, POSIX, sorted). */
function filesUnder(dir, folder) {
  const out = [];
  const walk = (rel) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  if (existsSync(join(dir, folder))) walk(folder);
  return out.sort();
}

/**
 * What an install depends on: every package.json of a generated system (root, services,
 * gateway), and the whole of its generator-owned packages (packages/runtime): those are
 * installed as workspaces, so the install must hold their files, not just their manifests.
 */
export function packageJsons(dir) {
  const out = ['package.json', ...filesUnder(dir, 'packages')];
  for (const group of ['services', 'gateway']) {
    const base = join(dir, group);
    if (!existsSync(base)) continue;
    if (existsSync(join(base, 'package.json'))) out.push(`${group}/package.json`);
    for (const name of readdirSync(base)) if (existsSync(join(base, name, 'package.json'))) out.push(`${group}/${name}/package.json`);
  }
  return out.sort();
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock(name, fn) {
  const lock = join(E2E, `${name}.lock`);
  mkdirSync(E2E, { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs the dependencies of the generated system in `dir` once (shared by every system with
 * the same package.json files), links `dir/node_modules` to them, and returns the install folder.
 * `onInstall` is called before a real install starts (the benchmark says so; tests stay quiet).
 */
export function linkInstall(dir, { onInstall = () => {} } = {}) {
  const files = packageJsons(dir);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
  const key = hash.digest('hex').slice(0, 16);
  const install = join(E2E, 'installs', key);
  withLock(`install-${key}`, () => {
    if (existsSync(join(install, '.done'))) return;
    onInstall();
    rmSync(install, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(install, f)), { recursive: true });
      copyFileSync(join(dir, f), join(install, f));
    }
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: install, stdio: 'pipe', timeout: 10 * 60_000 });
    writeFileSync(join(install, '.done'), '');
  });
  const link = join(dir, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(install, 'node_modules'), link, 'dir');
  return install;
}
