#!/usr/bin/env node
// Precompiles templates/**/*.hbs into dist/render/templates.precompiled.cjs, with the hash of
// the sources it was made from: src/render/templates.ts uses it only while they are unchanged.
import { writeFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { COMPILE_OPTIONS, PRECOMPILED_TEMPLATES, sourcesHash, templateSources } from '../dist/render/templates.js';

const sources = templateSources();
const entries = sources.map(([name, source]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`);
writeFileSync(
  PRECOMPILED_TEMPLATES,
  `// Built from templates/ by scripts/precompile-templates.js.\nmodule.exports = {\n sourceHash: ${JSON.stringify(sourcesHash(sources))},\n templates: {\n${entries.join(',\n')}\n }\n};\n`,
);
