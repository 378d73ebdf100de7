#!/usr/bin/env node
// The microgen command: runs the compiled CLI (dist/, made by `npm run build`).
// With --debug, stack traces name src/*.ts through tsc's source maps.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
