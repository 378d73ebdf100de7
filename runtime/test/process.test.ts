/**
 * A process started by a supervisor over an IPC channel (as `microgen dev` starts a system) stops
 * gracefully when that supervisor dies without stopping it, instead of running on unseen.
 * Real processes: the built runtime (runtime/dist, made by `npm run build:runtime`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const RUNTIME = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
let work: string | undefined;
let supervised: number | undefined;
afterEach(() => {
  // A failed test must not leave its server running.
  if (supervised !== undefined && alive(supervised)) process.kill(supervised, 'SIGKILL');
  supervised = undefined;
  if (work) rmSync(work, { recursive: true, force: true });
  work = undefined;
});

/** Whether a process of that id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}

function scripts(dir: string): { supervisor: string; marker: string } {
  const marker = join(dir, 'stopped');
  // The supervised process: a server that keeps it alive, stopped through stopOnSignals.
  writeFileSync(
    join(dir, 'served.mjs'),
    `import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { createLogger, stopOnSignals } from ${JSON.stringify(RUNTIME)};
const server = createServer((_q, s) => s.end('ok')).listen(0, '127.0.0.1', () => console.log('ready'));
stopOnSignals(async () => { await new Promise((r) => server.close(r)); writeFileSync(${JSON.stringify(marker)}, 'gracefully'); }, createLogger('served'));
`,
  );
  // The supervisor: starts it with an IPC channel, prints its pid once it is ready, then waits.
  writeFileSync(
    join(dir, 'supervisor.mjs'),
    `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, [${JSON.stringify(join(dir, 'served.mjs'))}], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
child.stdout.on('data', (d) => { if (String(d).includes('ready')) console.log(String(child.pid)); });
setInterval(() => {}, 1000);
`,
  );
  return { supervisor: join(dir, 'supervisor.mjs'), marker };
}

describe('stopOnSignals under a supervisor', () => {
  it('stops gracefully when the supervisor is killed', async () => {
    work = mkdtempSync(join(tmpdir(), 'microgen-process-'));
    const { supervisor, marker } = scripts(work);
    const parent = spawn(process.execPath, [supervisor], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout!.on('data', (d: Buffer) => resolve(Number(String(d).trim())));
      parent.once('exit', (code) => reject(new Error(`supervisor exited ${code}`)));
    });
    supervised = pid;
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe('gracefully');
  }, 20_000);

  it('still stops on SIGTERM, its channel open', async () => {
    work = mkdtempSync(join(tmpdir(), 'microgen-process-'));
    const { marker } = scripts(work);
    const child = spawn(process.execPath, [join(work, 'served.mjs')], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => String(d).includes('ready') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('gracefully');
  }, 20_000);
});
