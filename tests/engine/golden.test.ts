/**
 * Golden files: the whole generated tree of each bundled example, reviewed and committed
 * under tests/golden/generate/<example>/. A change to generated output must show up here
 * as a diff. To accept an intended change: `UPDATE_GOLDEN=1 npx vitest run tests/engine/golden`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';
import { readTree } from '../helpers/tree.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(['shop', 'minimal'])('generated tree of examples/%s', (example) => {
  it('matches the golden files', async () => {
    const out = mkdtempSync(join(tmpdir(), `golden-${example}-`));
    const run = await runCli(['generate', join(ROOT, 'examples', example, 'microgen.yaml'), '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const tree = readTree(out);
    const goldenDir = join(ROOT, 'tests', 'golden', 'generate', example);
    if (UPDATE) {
      rmSync(goldenDir, { recursive: true, force: true });
      for (const [path, content] of tree) {
        mkdirSync(dirname(join(goldenDir, path)), { recursive: true });
        writeFileSync(join(goldenDir, path), content);
      }
    }
    const golden = readTree(goldenDir);
    expect([...tree.keys()]).toEqual([...golden.keys()]);
    for (const [path, content] of tree) expect(content, path).toBe(golden.get(path));
    rmSync(out, { recursive: true, force: true });
  });
});

describe('the built CLI', () => {
  it('writes the golden tree too (precompiled templates and validator agree with the sources)', () => {
    expect(existsSync(join(ROOT, 'dist/render/templates.precompiled.cjs')), 'run `npm run build` before the tests').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'golden-built-'));
    execFileSync(process.execPath, [join(ROOT, 'bin/microgen.js'), 'generate', join(ROOT, 'examples/shop/microgen.yaml'), '--out', out], { stdio: 'pipe' });
    const tree = readTree(out);
    const golden = readTree(join(ROOT, 'tests', 'golden', 'generate', 'shop'));
    expect([...tree.keys()]).toEqual([...golden.keys()]);
    for (const [path, content] of tree) expect(content, path).toBe(golden.get(path));
    rmSync(out, { recursive: true, force: true });
  });
});
