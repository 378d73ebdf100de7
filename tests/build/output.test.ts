/** The built CLI's own output (src/cli/io.ts): pipes, closed readers and colours. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('colours only a terminal, or when FORCE_COLOR asks', () => {
    const { NO_COLOR: _no, FORCE_COLOR: _force, ...env } = process.env;
    const lint = (extra: Record<string, string>) =>
      execFileSync(process.execPath, [BIN, 'lint', join(ROOT, 'examples/minimal/microgen.yaml')], { encoding: 'utf8', env: { ...env, ...extra } });
    expect(lint({})).not.toContain('\x1b[');
    expect(lint({ FORCE_COLOR: '1' })).toContain('\x1b[32m✓\x1b[39m');
  });
});
