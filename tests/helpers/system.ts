/**
 * End-to-end tests generate real systems and build them with real dependencies. `npm install`
 * is the slow part, so it runs once per distinct dependency set (scripts/shared-install.js,
 * shared with the HTTP benchmark); every test generates into its own folder and links
 * `node_modules` to that shared install.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E, linkInstall } from '../../scripts/shared-install.js';
import { runCli } from './io.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

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
