#!/usr/bin/env node
// Derives src/spec/raw.ts (the TypeScript types of a raw spec) from the JSON Schema, so the
// schema stays the single source of truth. `--check` exits 1 when the file is stale (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}src/spec/raw.ts`;

export async function renderRawTypes() {
  const schema = JSON.parse(readFileSync(`${root}schema/microgen.schema.json`, 'utf8'));
  // json-schema-to-typescript reads `definitions`; our annotations are not JSON Schema.
  const text = JSON.stringify(schema).replaceAll('"$defs"', '"definitions"').replaceAll('#/$defs/', '#/definitions/');
  const ts = await compile(withoutRequiredChoices(JSON.parse(text)), 'RawSpec', {
    bannerComment:
      '/* Generated from schema/microgen.schema.json by scripts/schema-types.js — do not edit.\n   Run `npm run schema:types` after changing the schema. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: false,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  return ts;
}

/**
 * `oneOf: [{ required: [a] }, { required: [b] }]` says "exactly one of a and b"; the types keep
 * both optional. Left in, json-schema-to-typescript turns the whole object into an index signature.
 */
function withoutRequiredChoices(node) {
  if (Array.isArray(node)) return node.map(withoutRequiredChoices);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    const choice = key === 'oneOf' && Array.isArray(value) && value.every((v) => Object.keys(v).length === 1 && Array.isArray(v.required));
    if (!choice) out[key] = withoutRequiredChoices(value);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ts = await renderRawTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== ts) {
      console.error('src/spec/raw.ts is stale: run `npm run schema:types`');
      process.exit(1);
    }
  } else {
    writeFileSync(target, ts);
  }
}
