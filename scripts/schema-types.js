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
  const ts = await compile(JSON.parse(text), 'RawSpec', {
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
