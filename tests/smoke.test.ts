import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/io.js';

describe('microgen lint on the bundled examples', () => {
  it.each(['examples/shop/microgen.yaml', 'examples/minimal/microgen.yaml'])('%s lints clean', async (spec) => {
    const run = await runCli(['lint', spec]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('no problems');
    expect(run.code).toBe(0);
  });
});
