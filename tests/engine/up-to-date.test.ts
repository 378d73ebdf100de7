/**
 * The no-op shortcut (src/apply/up-to-date.ts): trusted only while the inputs' fingerprint and
 * every file's size and mtime match what the last run recorded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, recordUpToDate, upToDate } from '../../src/apply/up-to-date.js';
import { ROOT } from '../helpers/system.js';
import { runCli } from '../helpers/io.js';

const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'));
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uptodate-'));
  writeFileSync(join(dir, 'microgen.yaml'), MINIMAL);
  expect((await runCli(['generate', join(dir, 'microgen.yaml')])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TYPES = 'services/greeter/src/generated/types.ts';

describe('up-to-date shortcut', () => {
  it('holds after a recorded run and breaks on any change of inputs or files', () => {
    const print = fingerprint(MINIMAL, 'microgen.yaml', 'build-1');
    expect(upToDate(dir, print)).toBeUndefined(); // nothing recorded yet
    recordUpToDate(dir, print, Object.keys((JSON.parse(readFileSync(join(dir, '.microgen/manifest.json'), 'utf8')) as { files: object }).files));
    const files = Object.keys(JSON.parse(readFileSync(join(dir, '.microgen/manifest.json'), 'utf8')).files).length;
    expect(upToDate(dir, print)).toBe(files);
    expect(upToDate(dir, fingerprint(MINIMAL, 'microgen.yaml', 'build-2'))).toBeUndefined();
    expect(upToDate(dir, fingerprint(Buffer.concat([MINIMAL, Buffer.from('\n')]), 'microgen.yaml', 'build-1'))).toBeUndefined();
    expect(upToDate(dir, fingerprint(MINIMAL, 'other/microgen.yaml', 'build-1'))).toBeUndefined();
    // Same size, new mtime: an edit.
    const t = join(dir, TYPES);
    const later = new Date(Date.now() + 5000);
    utimesSync(t, later, later);
    expect(upToDate(dir, print)).toBeUndefined();
  });

  it('never holds without a build id (running from sources)', () => {
    expect(fingerprint(MINIMAL, 'microgen.yaml', undefined)).toBeUndefined();
    expect(upToDate(dir, undefined)).toBeUndefined();
  });

  it('the built CLI takes the shortcut, and still catches a hand edit', () => {
    const bin = join(ROOT, 'bin/microgen.js');
    expect(existsSync(join(ROOT, 'dist/build-id.json')), 'run `npm run build` before the tests').toBe(true);
    const run = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: 'pipe' }) };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const spec = join(dir, 'microgen.yaml');
    expect(run('generate', spec).code).toBe(0); // full run (no cache yet), records the cache
    expect(existsSync(join(dir, '.microgen/cache.json'))).toBe(true);
    expect(run('generate', spec).out).toContain('up to date');
    expect(run('check', spec).out).toContain('in sync');
    writeFileSync(join(dir, TYPES), readFileSync(join(dir, TYPES), 'utf8') + '// edit\n');
    const check = run('check', spec);
    expect(check.code).toBe(1);
    expect(check.out).toContain(`stale ${TYPES}: generated file edited by hand`);
    expect(run('generate', spec).code).toBe(1);
  });
});
