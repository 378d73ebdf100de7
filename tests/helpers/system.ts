/**
 * End-to-end tests generate real systems and build them with real dependencies. `npm install`
 * is the slow part, so it runs once per distinct dependency set, in `.e2e/installs/<hash>`;
 * every test generates into its own folder and links `node_modules` to that shared install
 * (tsc and node resolve through the link). A lock folder serialises installs across the
 * parallel test workers.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './io.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const E2E = join(ROOT, '.e2e');

/** All package.json files of a generated system (root, services, gateway), relative paths. */
function packageJsons(dir: string): string[] {
  const out = ['package.json'];
  for (const group of ['services', 'gateway']) {
    const base = join(dir, group);
    if (!existsSync(base)) continue;
    if (existsSync(join(base, 'package.json'))) out.push(`${group}/package.json`);
    for (const name of readdirSync(base)) if (existsSync(join(base, name, 'package.json'))) out.push(`${group}/${name}/package.json`);
  }
  return out.sort();
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(name: string, fn: () => T): T {
  const lock = join(E2E, `${name}.lock`);
  mkdirSync(E2E, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest install is a leftover from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
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
 * the same package.json files) and links `dir/node_modules` to it.
 */
export function linkInstall(dir: string): string {
  const files = packageJsons(dir);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
  const key = hash.digest('hex').slice(0, 16);
  const install = join(E2E, 'installs', key);
  withLock(`install-${key}`, () => {
    if (existsSync(join(install, '.done'))) return;
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

/** A fresh folder under .e2e/work for one test. */
export function workDir(prefix: string): string {
  mkdirSync(join(E2E, 'work'), { recursive: true });
  return mkdtempSync(join(E2E, 'work', `${prefix}-`));
}

/** Generates `spec` into a fresh folder, links the shared install, and returns the folder. */
export async function generateSystem(spec: string, prefix = 'system'): Promise<string> {
  const dir = workDir(prefix);
  const run = await runCli(['generate', resolve(ROOT, spec), '--out', dir]);
  if (run.code !== 0) throw new Error(`generate failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  linkInstall(dir);
  return dir;
}

/** `tsc -b` in a generated system (or only the given projects, e.g. `services/user`): the exit code and what tsc printed. */
export function buildSystem(dir: string, projects: string[] = []): { code: number; output: string } {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    const output = execFileSync(process.execPath, [tsc, '-b', ...projects], { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 5 * 60_000 });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
