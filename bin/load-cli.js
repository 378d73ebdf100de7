// Loads the CLI for bin/microgen.js. The build bundles dist/ into one file (dist/microgen.cjs,
// scripts/bundle.js) and records V8's compiled code for it (dist/microgen.cache,
// scripts/code-cache.js): one file to read and little to compile makes a cold `microgen
// generate` ~100 ms faster than resolving, reading and compiling ~90 ES modules. Without a
// bundle, or in a checkout with one older than the last `tsc` (a stale bundle would shadow new
// code), the CLI runs from dist/cli/main.js as compiled.
//
// CommonJS (bin/package.json), like the bin: Node starts a CommonJS entry a few ms sooner.
'use strict';
const { existsSync, readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const DIST = join(__dirname, '..', 'dist');
const BUNDLE = join(DIST, 'microgen.cjs');
const CODE_CACHE = join(DIST, 'microgen.cache');

/**
 * In a checkout (src/ beside dist/), `tsc` alone rewrites dist/ and leaves an older bundle
 * behind, which must not run: the bundle counts only when written after dist/cli/main.js. An
 * installed package has no src/, its dist/ is one build, and its mtimes are those of unpacking.
 */
function bundleIsCurrent() {
  try {
    const bundle = statSync(BUNDLE);
    if (!existsSync(join(DIST, '..', 'src'))) return true;
    return bundle.mtimeMs >= statSync(join(DIST, 'cli', 'main.js')).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * `{ main }` of the CLI, and the compiled bundle's `script` (undefined when running unbundled)
 * from which scripts/code-cache.js takes the code cache. `useCache: false` compiles afresh.
 */
async function loadCli({ useCache = true } = {}) {
  // `--debug` wants stack traces that name src/*.ts: dist/'s modules carry tsc's source maps, and
  // Node applies them to modules it loads itself, not to a vm.Script, so debugging runs unbundled.
  const debug = process.argv.includes('--debug');
  if (debug) process.setSourceMapsEnabled(true);
  if (debug || !bundleIsCurrent()) return { main: (await import(pathToFileURL(join(DIST, 'cli', 'main.js')).href)).main, script: undefined };
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      // no cache: V8 compiles as usual
    }
  }
  // The CommonJS wrapper, plus one parameter: dynamic import() of packages (ts-morph, the Graphviz
  // WebAssembly) runs from this module, because a vm.Script has no module loader of its own.
  // V8 checks the cache against the source and its own version, and ignores a cache that does not fit.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __microgenImport) {${readFileSync(BUNDLE, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: BUNDLE, cachedData });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, DIST, (specifier) => import(specifier));
  return { main: bundle.exports.main, script };
}

module.exports = { BUNDLE, CODE_CACHE, loadCli };
