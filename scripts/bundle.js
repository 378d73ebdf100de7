#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/, which bin/microgen.js runs.
// Loading ~50 of our modules and ~90 of yaml's and commander's one by one was ~40% of a
// small command's time; a bundle loads a few files. Each command stays its own chunk, so
// `microgen lint` does not load what only `generate` needs, and the dependencies that are large
// and used by one command only (TypeScript through ts-morph, Graphviz, plop) stay outside.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The compiled CLI to bundle: this repository's dist/, or another (a test's private build).
const dist = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = join(dist, 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // esbuild reads tsc's source maps, so --debug stack traces still name src/*.ts.
  sourcemap: true,
  external: ['ts-morph', 'typescript', '@hpcc-js/wasm-graphviz', 'node-plop'],
  // Bundled CommonJS dependencies (yaml, commander, ajv's runtime) call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
