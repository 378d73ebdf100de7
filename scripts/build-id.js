#!/usr/bin/env node
// Writes dist/build-id.json: a hash of everything that decides generated output (the compiled
// code, templates and schema). The no-op shortcut (src/apply/up-to-date.ts) trusts its cache
// only for the build that wrote it, so a rebuilt microgen always regenerates in full once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hash = createHash('sha256');
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (/\.(js|cjs|hbs|json)$/.test(e.name) && e.name !== 'build-id.json') hash.update(relative(root, full)).update(readFileSync(full));
  }
};
for (const dir of ['dist', 'templates', 'schema']) walk(join(root, dir));
writeFileSync(join(root, 'dist', 'build-id.json'), `${JSON.stringify({ id: hash.digest('hex') })}\n`);
