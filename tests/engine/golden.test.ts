/**
 * Golden files: the whole generated tree of each bundled example, reviewed and committed
 * under tests/golden/generate/<example>/. A change to generated output must show up here
 * as a diff. To accept an intended change: `UPDATE_GOLDEN=1 npx vitest run tests/engine/golden`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';
import { readTree } from '../helpers/tree.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * The runtime library's built files are copied verbatim from runtime/dist and tested there; the
 * goldens keep its package.json and leave the copies (and their manifest entries) out, so a
 * runtime change does not rewrite every golden.
 */
const RUNTIME_COPY = 'packages/runtime/dist/';
function generatedTree(dir: string): Map<string, string> {
  const tree = readTree(dir, { skip: (p) => p.startsWith(RUNTIME_COPY) || p === '.microgen/cache.json' });
  const manifest = tree.get('.microgen/manifest.json');
  if (manifest) {
    const parsed = JSON.parse(manifest) as { files: Record<string, unknown> };
    for (const path of Object.keys(parsed.files)) if (path.startsWith(RUNTIME_COPY)) delete parsed.files[path];
    tree.set('.microgen/manifest.json', `${JSON.stringify(parsed, null, 2)}\n`);
  }
  return tree;
}

describe.each(['shop', 'minimal'])('generated tree of examples/%s', (example) => {
  it('matches the golden files', async () => {
    const out = mkdtempSync(join(tmpdir(), `golden-${example}-`));
    const run = await runCli(['generate', join(ROOT, 'examples', example, 'microgen.yaml'), '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const tree = generatedTree(out);
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

/**
 * Specs whose point is one output family (the gateway's kong.yml and Node route table, of a hostile
 * spec and of the strangler fig): only the files under `only` are kept as goldens.
 */
describe.each([
  { name: 'hostile-gateway', spec: 'tests/fixtures/hostile-gateway/microgen.yaml', only: 'gateway/kong.yml' },
  { name: 'strangler', spec: 'tests/fixtures/rules/upstream-url/good.yaml', only: 'gateway/kong.yml' },
  { name: 'hostile-gateway', spec: 'tests/fixtures/hostile-gateway/microgen.yaml', only: 'gateway/src/generated/gateway.ts' },
  { name: 'strangler', spec: 'tests/fixtures/rules/upstream-url/good.yaml', only: 'gateway/src/generated/gateway.ts' },
])('$only of $spec', ({ name, spec, only }) => {
  it('matches the golden file', async () => {
    const out = mkdtempSync(join(tmpdir(), `golden-${name}-`));
    const run = await runCli(['generate', join(ROOT, spec), '--out', out]);
    expect(run.code).toBe(0);
    const content = readFileSync(join(out, only), 'utf8');
    const golden = join(ROOT, 'tests', 'golden', 'generate', name, only);
    if (UPDATE) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, content);
    }
    expect(content).toBe(readFileSync(golden, 'utf8'));
    rmSync(out, { recursive: true, force: true });
  });
});

describe('the built CLI', () => {
  it('writes the golden tree too (precompiled templates and validator agree with the sources)', () => {
    expect(existsSync(join(ROOT, 'dist/render/templates.precompiled.cjs')), 'run `npm run build` before the tests').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'golden-built-'));
    execFileSync(process.execPath, [join(ROOT, 'bin/microgen.js'), 'generate', join(ROOT, 'examples/shop/microgen.yaml'), '--out', out], { stdio: 'pipe' });
    const tree = generatedTree(out);
    const golden = readTree(join(ROOT, 'tests', 'golden', 'generate', 'shop'));
    expect([...tree.keys()]).toEqual([...golden.keys()]);
    for (const [path, content] of tree) expect(content, path).toBe(golden.get(path));
    rmSync(out, { recursive: true, force: true });
  });
});
