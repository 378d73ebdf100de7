#!/usr/bin/env node
// Compiles schema/microgen.schema.json into standalone validator modules at build time.
// Compiling the schema with ajv at run time costs ~250 ms on every CLI start; the precompiled
// modules load in a few. src/spec/schema.ts falls back to compiling at run time when they are
// absent (tests running from sources). Two of them:
// - dist/spec/schema-validator.cjs collects every error with its schema and data, for messages;
// - dist/spec/schema-check.cjs only answers valid or not, stopping at the first error and making
//   no error objects: every spec is checked, and most are valid (an `anyOf` of a type string or
//   a map made an error object per field for the branch not taken: ~10 ms for 100 services).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, CUSTOM_KEYWORDS } from '../dist/spec/ajv-options.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(`${root}schema/microgen.schema.json`, 'utf8'));
mkdirSync(`${root}dist/spec`, { recursive: true });
for (const [file, options] of [
  ['schema-validator.cjs', AJV_OPTIONS],
  ['schema-check.cjs', { ...AJV_OPTIONS, allErrors: false, verbose: false }],
]) {
  const ajv = new Ajv2020({ ...options, code: { source: true, esm: false } });
  ajv.addVocabulary(CUSTOM_KEYWORDS);
  const validate = ajv.compile(schema);
  const source = standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate);
  writeFileSync(`${root}dist/spec/${file}`, `// Built from schema/microgen.schema.json by scripts/compile-schema.js.\n${source}`);
}
