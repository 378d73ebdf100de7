/**
 * Exit codes of `microgen lint` (SPEC §1): 0 clean or warnings only, 1 errors (or warnings
 * with --strict), 2 usage or unreadable file — and what goes to stdout and stderr.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from './helpers.js';

const WARNINGS_ONLY = 'tests/fixtures/rules/unused-event/bad.yaml';
const ERRORS = 'tests/fixtures/bad-spec/microgen.yaml';
const CLEAN = 'examples/minimal/microgen.yaml';

const tmp = mkdtempSync(join(tmpdir(), 'microgen-lint-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('microgen lint exit codes', () => {
  it('0 for a clean spec, with a one-line confirmation', async () => {
    const run = await runCli(['lint', CLEAN], ROOT);
    expect(run).toEqual({ code: 0, stdout: `✓ ${CLEAN}: no problems\n`, stderr: '' });
  });

  it('0 for warnings only', async () => {
    const run = await runCli(['lint', WARNINGS_ONLY], ROOT);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`${WARNINGS_ONLY}:11:3: warning unused-event:`);
    expect(run.stdout).toContain('0 errors, 3 warnings');
  });

  it('1 for warnings only with --strict', async () => {
    const run = await runCli(['lint', WARNINGS_ONLY, '--strict'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('0 errors, 3 warnings');
  });

  it('0 for a clean spec with --strict', async () => {
    expect((await runCli(['lint', CLEAN, '--strict'], ROOT)).code).toBe(0);
  });

  it('1 for errors, in every format', async () => {
    for (const format of ['text', 'json', 'github', 'sarif']) {
      const run = await runCli(['lint', ERRORS, '--format', format], ROOT);
      expect(run.code, format).toBe(1);
      expect(run.stderr, format).toBe('');
    }
  });

  it('1 for a file that is not YAML at all', async () => {
    const file = join(tmp, 'garbage.yaml');
    writeFileSync(file, Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x5b]));
    const run = await runCli(['lint', file], ROOT);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('yaml-syntax');
    expect(run.stderr).toBe('');
  });

  it('2 for a missing file, with one sentence on stderr and nothing on stdout', async () => {
    const run = await runCli(['lint', 'does/not/exist.yaml'], ROOT);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: cannot read does/not/exist.yaml: no such file\n' });
  });

  it('2 for a missing file with --format json: the same sentence on stderr, and JSON on stdout', async () => {
    const run = await runCli(['lint', 'does/not/exist.yaml', '--format', 'json'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: cannot read does/not/exist.yaml: no such file\n');
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: [], errors: 0, warnings: 0, error: 'cannot read does/not/exist.yaml: no such file' });
  });

  it('2 when no spec is given and there is no ./microgen.yaml', async () => {
    const run = await runCli(['lint'], tmp);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read microgen.yaml');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('2 for a folder without a microgen.yaml', async () => {
    const dir = join(tmp, 'empty-folder');
    mkdirSync(dir);
    const run = await runCli(['lint', dir], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a folder without a microgen.yaml');
  });

  it('2 for a spec path that is a folder named microgen.yaml (treated as a folder without a spec)', async () => {
    const dir = join(tmp, 'odd');
    mkdirSync(join(dir, 'microgen.yaml'), { recursive: true });
    const run = await runCli(['lint', join(dir, 'microgen.yaml')], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*odd\/microgen\.yaml is a folder without a microgen\.yaml\n$/);
    expect(run.stdout).toBe('');
  });

  it('2 for a bad --format, naming the allowed ones', async () => {
    const run = await runCli(['lint', CLEAN, '--format', 'xml'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--format must be one of text, json, github, sarif, codeclimate, not "xml"');
  });

  it('2 for an unknown option', async () => {
    const run = await runCli(['lint', CLEAN, '--bogus'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });

  it('reads microgen.yaml from a folder argument and from the working folder', async () => {
    const byFolder = await runCli(['lint', 'tests/fixtures/bad-spec'], ROOT);
    expect(byFolder.code).toBe(1);
    expect(byFolder.stdout).toContain('tests/fixtures/bad-spec/microgen.yaml:12:24: error unknown-schema');
    const byCwd = await runCli(['lint'], join(ROOT, 'examples/shop'));
    expect(byCwd).toEqual({ code: 0, stdout: '✓ microgen.yaml: no problems\n', stderr: '' });
  });

  it('--help of lint shows usage, an example and the exit codes', async () => {
    const run = await runCli(['lint', '--help'], ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: microgen lint [options] [spec]');
    expect(run.stdout).toMatch(/Examples:\n\s+\$ microgen lint/);
    expect(run.stdout).toContain('--format');
    expect(run.stdout).toContain('--strict');
    expect(run.stdout).toMatch(/Exit codes: 0 .*1 .*2 /);
  });
});
