/**
 * Getting a generated system ready to run: install what its package.json files ask for (only
 * when something is missing), then `tsc -b` (incremental, so a built system costs a moment).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace folders the system's root package.json lists. */
export function workspaces(outDir: string): string[] {
  const root = JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')) as { workspaces?: string[] };
  return root.workspaces ?? [];
}

/**
 * The dependencies some package.json names that node_modules lacks: a fresh system has none
 * installed; a spec change can add one (a database driver, say). Empty when nothing is missing.
 */
export function missingDependencies(outDir: string): string[] {
  const missing = new Set<string>();
  for (const folder of ['.', ...workspaces(outDir)]) {
    const file = join(outDir, folder, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const section of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[section] ?? {})) if (!existsSync(join(outDir, 'node_modules', name, 'package.json'))) missing.add(name);
    }
  }
  return [...missing].sort();
}

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a command in `cwd`, collecting what it prints. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (err) => resolve({ code: 127, output: `${output}${err.message}` }));
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export function install(outDir: string): Promise<CommandResult> {
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], outDir);
}

/** `tsc -b` with the system's own TypeScript. */
export function build(outDir: string): Promise<CommandResult> {
  return run(process.execPath, [join(outDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], outDir);
}
