#!/usr/bin/env node
// Precompiles templates/**/*.hbs into dist/render/templates.precompiled.cjs at build time, with
// a hash of their sources: src/render/templates.ts uses the precompiled set only while the
// sources are unchanged (their stamps, size and mtime, answer first; the hash when they moved). Two forms per template: Handlebars' own specification, and, for the
// templates inside src/render/fast-template.ts's subset, a plain function (null otherwise).
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
const text =
  `// Built from templates/ by scripts/precompile-templates.js.\nmodule.exports = {\n sourceHash: ${JSON.stringify(sourcesHash())},\n sourceStamps: ${racy ? 'null' : JSON.stringify(stamps)},\n` +
  ` templates: {\n${entries.join(',\n')}\n },\n fast: {\n${fast.join(',\n')}\n }\n};\n`;
writeFileSync(new URL('../dist/render/templates.precompiled.cjs', import.meta.url), text);
