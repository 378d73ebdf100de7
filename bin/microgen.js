#!/usr/bin/env node
// The microgen command: runs the bundled CLI (dist/bundle/, made by `npm run build`).
// With --debug, stack traces name src/*.ts through tsc's source maps.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
