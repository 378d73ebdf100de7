/**
 * The JSON Schema is what editors show through the modeline, so every property must explain
 * itself (`description`) and show a value (`examples`) — and the examples must be valid.
 * src/spec/raw.ts is generated from the schema and must be up to date.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH } from '../../src/spec/schema.js';
import { ROOT } from './helpers.js';

type Node = Record<string, unknown>;

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Node;

/** Keywords whose value is one subschema, a list of them, or a map of them. */
const ONE = ['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains'];
const LIST = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAP = ['$defs', 'properties', 'patternProperties'];

/** Every property definition of the schema, with its JSON pointer, walking subschemas only. */
function propertiesOf(node: unknown, pointer: string, out: [string, Node][] = []): [string, Node][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  const n = node as Node;
  for (const [name, sub] of Object.entries((n.properties as Node | undefined) ?? {})) out.push([`${pointer}/properties/${name}`, sub as Node]);
  for (const k of ONE) if (k in n) propertiesOf(n[k], `${pointer}/${k}`, out);
  for (const k of LIST) if (Array.isArray(n[k])) (n[k] as unknown[]).forEach((s, i) => propertiesOf(s, `${pointer}/${k}/${i}`, out));
  for (const k of MAP) for (const [name, s] of Object.entries((n[k] as Node | undefined) ?? {})) propertiesOf(s, `${pointer}/${k}/${name}`, out);
  return out;
}

const PROPERTIES = propertiesOf(schema, '#');

describe('schema/microgen.schema.json documents itself', () => {
  it('walks a sensible number of properties (through $defs)', () => {
    expect(PROPERTIES.length).toBeGreaterThan(80);
    expect(PROPERTIES.map(([p]) => p)).toContain('#/$defs/service/properties/database');
    expect(PROPERTIES.map(([p]) => p)).toContain('#/$defs/gateway/properties/auth/properties/jwt/properties/secretEnv');
  });

  it('every property has a description and examples', () => {
    const missing = PROPERTIES.filter(([, p]) => typeof p.description !== 'string' || p.description.trim() === '' || !Array.isArray(p.examples) || p.examples.length === 0).map(
      ([pointer]) => pointer,
    );
    expect(missing).toEqual([]);
  });

  it('every example is valid for its property', () => {
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, discriminator: true });
    ajv.addSchema(schema);
    const id = String(schema.$id);
    const invalid: string[] = [];
    for (const [pointer, p] of PROPERTIES) {
      const validate = ajv.getSchema(`${id}${pointer}`);
      expect(validate, pointer).toBeDefined();
      for (const example of (p.examples as unknown[] | undefined) ?? []) {
        if (!validate!(example)) invalid.push(`${pointer}: ${JSON.stringify(example)} — ${ajv.errorsText(validate!.errors)}`);
      }
    }
    expect(invalid).toEqual([]);
  });
});

describe('src/spec/raw.ts', () => {
  it('is what scripts/schema-types.js generates from the schema (`--check` exits 0)', () => {
    // execFileSync throws (and fails the test) on a non-zero exit; stderr says which file is stale.
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts/schema-types.js'), '--check'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  }, 60_000);
});
