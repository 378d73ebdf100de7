#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and what it imports) into dist/microgen.cjs, which
// bin/load-cli.js runs with V8's code cache. Three rewrites keep the bundle behaving like dist/:
// - `import.meta.url` becomes the URL the module had in dist/, so paths next to it
//   (templates/, schema/, dist/build-id.json) resolve as before;
// - `createRequire(import.meta.url)` goes, so that `require('./x.cjs')` and
//   `require('handlebars/runtime')` are bundled like imports (the precompiled templates and
//   schema validator are on every generate's path);
// - `import('package')` goes through the loader's ES module, for packages left out below.
// - commander loads `child_process` (with it `net` and Node's streams, ~30 modules, ~4 ms) for
//   executable subcommands, which microgen has none of: it is required on first use instead.
// Left out: what only rarer paths load (ts-morph for stubs, Graphviz for SVG, plop's prompts,
// `yaml` for diagnostics and edits, `diff`, ajv's compiler) and is big.
// BUNDLE_META=1 prints the 25 biggest inputs of the bundle (to see what it carries).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
// Exact specifiers (esbuild's `external` would also leave out `handlebars/runtime` with `handlebars`).
const LEFT_OUT = new Set(['ts-morph', '@hpcc-js/wasm-graphviz', 'node-plop', 'yaml', 'diff', 'ajv/dist/2020.js', 'handlebars']);
// ES-module-only packages: the CommonJS bundle can reach them only through import().
const ESM_ONLY = new Set(['@hpcc-js/wasm-graphviz', 'node-plop']);

const asInDist = {
  name: 'as-in-dist',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (!LEFT_OUT.has(args.path)) return undefined;
      // A static import becomes require(), which cannot load an ES module on every Node 20.
      if (ESM_ONLY.has(args.path)) return { errors: [{ text: `${args.path} is an ES module only: load it with import(), not a static import` }] };
      return { path: args.path, external: true };
    });
    b.onLoad({ filter: /[/\\]commander[/\\]lib[/\\]command\.js$/ }, (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(eager)) return { errors: [{ text: `commander changed: ${eager} not found; see scripts/bundle.js` }] };
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(`${dist}/`)) return undefined;
      const rel = `/${relative(dist, args.path)}`;
      const text = readFileSync(args.path, 'utf8')
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
        .replaceAll('import.meta.url', `__microgenUrl(${JSON.stringify(rel)})`)
        .replace(/\bimport\((['"])(?![./])/g, '__microgenImportPackage($1');
      return { contents: text, loader: 'js', resolveDir: fileURLToPath(new URL('.', `file://${args.path}`)) };
    });
  },
};

const result = await build({
  entryPoints: [`${dist}/cli/main.js`],
  outfile: `${dist}/microgen.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [asInDist],
  // Release-only choices in the sources test `typeof MICROGEN_BUNDLE` (src/model/build.ts).
  define: { MICROGEN_BUNDLE: 'true' },
  logLevel: 'warning',
  metafile: Boolean(process.env.BUNDLE_META),
  banner: {
    js: [
      '// Built from dist/ by scripts/bundle.js; run by bin/load-cli.js.',
      'const __microgenUrl = (rel) => require("node:url").pathToFileURL(__dirname + rel).href;',
      'const __microgenImportPackage = typeof __microgenImport === "function" ? __microgenImport : (specifier) => import(specifier);',
    ].join('\n'),
  },
});
if (process.env.BUNDLE_META) console.log(Object.entries(result.metafile.inputs).map(([k, v]) => [v.bytes, k]).sort((a, b) => b[0] - a[0]).slice(0, 25).map((x) => x.join(' ')).join('\n'));
