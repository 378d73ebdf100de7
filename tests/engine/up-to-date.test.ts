/**
 * The no-op cache (src/engine.ts): a second run with the same spec answers from
 * `.microgen/cache.json`, trusted only while the inputs' fingerprint and every file's size and
 * mtime match what the last run recorded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upToDate, type EngineInput } from '../../src/engine.js';
import { ROOT } from '../helpers/system.js';
import { runCli } from '../helpers/io.js';

const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'));
const TYPES = 'services/greeter/src/generated/types.ts';
let dir: string;
let input: EngineInput;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uptodate-'));
  writeFileSync(join(dir, 'microgen.yaml'), MINIMAL);
  input = { specPath: join(dir, 'microgen.yaml'), specDisplay: 'microgen.yaml', outDir: dir, generator: 'microgen test', version: '0.0.0' };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the no-op cache', () => {
  it('holds after a run and breaks on any change of the spec, its place, --force or the files', async () => {
    expect(upToDate(input, MINIMAL)).toBeUndefined(); // nothing recorded yet
    expect((await runCli(['generate', join(dir, 'microgen.yaml')])).code).toBe(0);
    const files = Object.keys(JSON.parse(readFileSync(join(dir, '.microgen/manifest.json'), 'utf8')).files).length;
    expect(upToDate(input, MINIMAL)).toBe(files);
    expect(upToDate({ ...input, force: true }, MINIMAL)).toBeUndefined();
    expect(upToDate(input, Buffer.concat([MINIMAL, Buffer.from('\n')]))).toBeUndefined();
    expect(upToDate({ ...input, specPath: join(dir, 'other/microgen.yaml') }, MINIMAL)).toBeUndefined();
    // Same size, new mtime: an edit.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, TYPES), later, later);
    expect(upToDate(input, MINIMAL)).toBeUndefined();
  });

  it('the built CLI takes the shortcut, and still catches a hand edit', () => {
    const bin = join(ROOT, 'bin/microgen.js');
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
