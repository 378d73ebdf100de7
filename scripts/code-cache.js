#!/usr/bin/env node
// Records V8's code cache for the bundled CLI (dist/microgen.cache; see bin/load-cli.js). V8
// compiles functions lazily, so the bundle first runs what users run most — lint, a cold
// generate, a no-op generate and check of the shop example — and the cache then holds the
// compiled code of all of it. A Node with another V8 rejects the cache and compiles as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_CACHE, loadCli } from '../bin/load-cli.js';
import { plain } from '../dist/cli/paint.js';

const shop = fileURLToPath(new URL('../examples/shop/microgen.yaml', import.meta.url));
const { main, script } = await loadCli({ useCache: false });
if (!script) throw new Error('dist/microgen.cjs is missing or older than dist/cli/main.js: run scripts/bundle.js first');

const out = mkdtempSync(join(tmpdir(), 'microgen-code-cache-'));
const silent = { out: () => {}, err: () => {}, paint: plain, errPaint: plain, isTTY: false, cwd: out };
try {
  for (const argv of [['lint', shop], ['generate', shop, '--out', out], ['generate', shop, '--out', out], ['check', shop, '--out', out]]) {
    const code = await main(argv, silent);
    if (code !== 0) throw new Error(`microgen ${argv.join(' ')} exited with ${code} while recording the code cache`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
writeFileSync(CODE_CACHE, script.createCachedData());

