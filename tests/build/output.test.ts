/**
 * The built CLI writes to its file descriptors directly (src/cli/io.ts) rather than through
 * process.stdout, which would load Node's stream and socket modules on every run. What the
 * streams did for free must still hold: a reader that goes away is not an error, a pipe that
 * is full is waited for, and nothing said is lost or reordered.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { makeSpec } from '../../bench/make-spec.js';
import { ROOT } from '../helpers/system.js';

const BIN = join(ROOT, 'bin/microgen.js');

describe('the CLI’s own output', () => {
  it('exits quietly with its own code when the reader has gone (`microgen graph | true`)', () => {
    // `true` exits at once; microgen writes ~60 ms later, into a pipe nobody reads: EPIPE.
    const dir = mkdtempSync(join(tmpdir(), 'microgen-output-'));
    const status = execFileSync('bash', ['-c', '"$0" "$1" graph "$2" 2>"$3" | true; echo "${PIPESTATUS[0]}"', process.execPath, BIN, join(ROOT, 'examples/shop/microgen.yaml'), join(dir, 'stderr')], { encoding: 'utf8' });
    expect(status.trim()).toBe('0');
    expect(readFileSync(join(dir, 'stderr'), 'utf8')).toBe('');
  });

  it('waits for a full pipe it was given in non-blocking mode, and loses nothing', async () => {
    // A FIFO opened non-blocking on both ends: the writer's descriptor is the CLI's stdout.
    // ~100 KB of report (a cold generate of 100 services) fill the 64 KB pipe while nobody reads.
    const dir = mkdtempSync(join(tmpdir(), 'microgen-output-'));
    writeFileSync(join(dir, 'microgen.yaml'), makeSpec(100));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const reader = openSync(join(dir, 'fifo'), constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(join(dir, 'fifo'), constants.O_WRONLY | constants.O_NONBLOCK);
    // Handed over as fd 3 and moved to 1 by bash: libuv makes a child's fds 0–2 blocking, not others.
    const child = spawn('bash', ['-c', 'exec "$0" "$@" >&3 3>&-', process.execPath, BIN, 'generate', join(dir, 'microgen.yaml'), '--out', join(dir, 'out')], {
      stdio: ['ignore', 'ignore', 'pipe', writer],
    });
    closeSync(writer);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await sleep(1500); // the CLI has met the full pipe by now
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(65536);
    let done = false;
    void exited.then(() => (done = true));
    for (;;) {
      let n = 0;
      try {
        n = readSync(reader, buffer);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (done) break;
        await sleep(20);
        continue;
      }
      if (n === 0) break; // every writer has closed: the CLI is done
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    closeSync(reader);
    expect(await exited, stderr).toBe(0);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.length).toBeGreaterThan(65536);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => /^ {2}create {2}/.test(l))).toHaveLength(lines.length - 1);
    expect(lines.at(-1)).toMatch(/^✓ bench-100: \d+ created$/);
  }, 30_000);
});
