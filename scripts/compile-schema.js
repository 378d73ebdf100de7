#!/usr/bin/env node
// Compiles schema/microgen.schema.json into a standalone validator module at build time
// (dist/spec/schema-validator.cjs): compiling the schema with ajv costs ~250 ms, loading the
// compiled module a few. src/spec/schema.ts compiles at run time when it is absent or was made
// from another schema, with the same options.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, CUSTOM_KEYWORDS } from '../dist/spec/ajv-options.js';
import { PRECOMPILED_VALIDATOR, schemaHash } from '../dist/spec/schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const text = readFileSync(`${root}schema/microgen.schema.json`, 'utf8');
const schema = JSON.parse(text);
mkdirSync(`${root}dist/spec`, { recursive: true });
const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: false } });
ajv.addVocabulary(CUSTOM_KEYWORDS);
const validate = ajv.compile(schema);
const source = standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate);
// The schema's hash rides along: src/spec/schema.ts uses this module only while the schema is unchanged.
const stamp = `module.exports.schemaHash = ${JSON.stringify(schemaHash(text))};\n`;
writeFileSync(PRECOMPILED_VALIDATOR, `// Built from schema/microgen.schema.json by scripts/compile-schema.js.\n${source}\n${stamp}`);
