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

/** The workspace folders a generated system's root package.json lists (packages/runtime, services/…, system). */
function workspacesOf(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).workspaces ?? [];
}

/** Every package.json of a generated system (the root and each workspace), relative paths, sorted. */
export function packageJsons(dir) {
  return ['package.json', ...workspacesOf(dir).map((w) => `${w}/package.json`).filter((f) => existsSync(join(dir, f)))].sort();
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
  linkModules(dir, join(install, 'node_modules'));
  return install;
}

/**
 * `dir/node_modules` as npm would lay it out, from links: every package of the shared install,
 * except the system's own workspace packages (`@microgen/runtime`, `@shop/user`…), which link to
 * the system's own folders, as npm links workspaces. Packages of the install resolve their own
 * dependencies inside the install; the workspace packages resolve theirs through this folder.
 */
export function linkModules(dir, modules) {
  const target = join(dir, 'node_modules');
  if (existsSync(target)) return;
  const own = new Map();
  for (const w of workspacesOf(dir)) {
    const file = join(dir, w, 'package.json');
    if (existsSync(file)) own.set(JSON.parse(readFileSync(file, 'utf8')).name, join(dir, w));
  }
  mkdirSync(target);
  for (const entry of readdirSync(modules)) {
    if (!entry.startsWith('@')) {
      symlinkSync(join(modules, entry), join(target, entry), 'dir');
      continue;
    }
    mkdirSync(join(target, entry));
    for (const name of readdirSync(join(modules, entry))) {
      const pkg = `${entry}/${name}`;
      symlinkSync(own.get(pkg) ?? join(modules, pkg), join(target, pkg), 'dir');
    }
  }
}
