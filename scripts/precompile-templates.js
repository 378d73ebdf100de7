#!/usr/bin/env node
// Precompiles templates/**/*.hbs at build time, in two forms per template: a plain function for
// the templates inside src/render/fast-template.ts's subset (null otherwise), in
// dist/render/templates.precompiled.cjs, and Handlebars' own specification, in
// dist/render/templates.handlebars.cjs. Both carry a hash of the sources: src/render/templates.ts
// uses them only while the sources are unchanged (their stamps, size and mtime, answer first; the
// hash when they moved).
import { writeFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { COMPILE_OPTIONS, fastSources, sourceStamps, sourcesHash, templateSources } from '../dist/render/templates.js';

const entries = templateSources().map(([name, source]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`);
const fast = Object.entries(fastSources(Handlebars)).map(
  ([name, body]) => `  ${JSON.stringify(name)}: ${body === null ? 'null' : `function (context, data, rt) {\n${body}}`}`,
);
// Racy stamps (git's term): a template written within the last 2 s could be edited again within
// its file system's timestamp granularity, keeping size and mtime; then only the hash is trusted.
const stamps = sourceStamps();
const racy = stamps.some(([, , mtimeMs]) => Date.now() - mtimeMs < 2000);
const hash = JSON.stringify(sourcesHash());
// The plain functions, which every run uses, apart from Handlebars' specifications, which only
// a template outside the fast subset (or a test) needs: the bundle carries only the first.
writeFileSync(
  new URL('../dist/render/templates.precompiled.cjs', import.meta.url),
  `// Built from templates/ by scripts/precompile-templates.js.\nmodule.exports = {\n sourceHash: ${hash},\n sourceStamps: ${racy ? 'null' : JSON.stringify(stamps)},\n` +
    ` fast: {\n${fast.join(',\n')}\n }\n};\n`,
);
writeFileSync(
  new URL('../dist/render/templates.handlebars.cjs', import.meta.url),
  `// Built from templates/ by scripts/precompile-templates.js.\nmodule.exports = {\n sourceHash: ${hash},\n templates: {\n${entries.join(',\n')}\n }\n};\n`,
);
