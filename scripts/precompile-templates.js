#!/usr/bin/env node
// Precompiles templates/**/*.hbs into dist/render/templates.precompiled.cjs at build time, with
// a hash of their sources: src/render/templates.ts uses the precompiled set only while the
// sources are unchanged.
import { writeFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { COMPILE_OPTIONS, sourcesHash, templateSources } from '../dist/render/templates.js';

const entries = templateSources().map(([name, source]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`);
const text = `// Built from templates/ by scripts/precompile-templates.js.\nmodule.exports = {\n sourceHash: ${JSON.stringify(sourcesHash())},\n templates: {\n${entries.join(',\n')}\n }\n};\n`;
writeFileSync(new URL('../dist/render/templates.precompiled.cjs', import.meta.url), text);
