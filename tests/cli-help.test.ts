/** Every command answers --help with a description and at least one example, and exits 0. */
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/io.js';

const COMMANDS = ['init', 'add', 'lint', 'diff', 'graph', 'export', 'generate', 'check', 'dev'];

describe('--help', () => {
  it('the program lists every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it.each(COMMANDS)('%s --help shows usage and an example', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: microgen ${command}`);
    expect(run.stdout).toMatch(/Examples?:\n\s+\$ microgen /);
  });

  it('an unknown command is a usage error with a suggestion', async () => {
    const run = await runCli(['generat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'generat'/);
    expect(run.stderr).toMatch(/Did you mean generate\?/);
  });
});
