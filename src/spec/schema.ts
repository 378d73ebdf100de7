/**
 * Validation against `schema/microgen.schema.json`, the single source of truth for the
 * shape of a spec, and the translation of ajv's errors into sentences a person reads,
 * each at the line and column of the offending key or value.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { oneLine, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/suggest.js';
import type { SpecPath } from '../model/types.js';
import { diagnosticAt } from './locate.js';
import type { SpecSource } from './source.js';
import { AJV_OPTIONS, CUSTOM_KEYWORDS } from './ajv-options.js';
import { ownPath } from '../util/own-files.js';

const require = createRequire(import.meta.url);
export const SCHEMA_PATH = ownPath('schema', 'microgen.schema.json');

let compiled: ValidateFunction | undefined;

/** Where the build puts the precompiled validator (scripts/compile-schema.js). */
export const PRECOMPILED_VALIDATOR = ownPath('dist', 'spec', 'schema-validator.cjs');

/** sha256 of the schema's text: a precompiled validator is used only while it was made from the same schema. */
export const schemaHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The build precompiles the schema: loading that module is ~50× cheaper than compiling at
 * start-up. Without a build, or when the schema changed since, compile here.
 */
function validator(): ValidateFunction {
  if (!compiled) {
    const text = readFileSync(SCHEMA_PATH, 'utf8');
    try {
      const built = require(PRECOMPILED_VALIDATOR) as ValidateFunction & { schemaHash?: string };
      if (built.schemaHash === schemaHash(text)) compiled = built;
    } catch {
      // no build
    }
    if (!compiled) {
      // ajv's compiler is ~35 modules (~30 ms to load) the precompiled validator does not need.
      const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
      const ajv = new Ajv2020(AJV_OPTIONS);
      ajv.addVocabulary(CUSTOM_KEYWORDS);
      compiled = ajv.compile(JSON.parse(text) as object);
    }
  }
  return compiled;
}

/** The schema document (for resolving `$ref`s in error messages). */
const schemaRoot = (): SchemaNode => require(SCHEMA_PATH) as SchemaNode;

type SchemaNode = Record<string, unknown>;

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `a service`, `the spec`: the noun a schema's `title` gives, with an article. */
function thing(schema: SchemaNode | undefined): string {
  const title = typeof schema?.title === 'string' ? schema.title : undefined;
  if (!title) return 'this map';
  if (title === 'spec') return 'the spec';
  return /^[aeiou]/i.test(title) ? `an ${title}` : `a ${title}`;
}

function lastKey(path: SpecPath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the spec';
  if (typeof last === 'string') return `\`${last}\``;
  // "item 1 must be a map" did not say of which list; name it when the list has a key.
  const list = path[path.length - 2];
  return typeof list === 'string' ? `item ${last + 1} of \`${list}\`` : `item ${last + 1}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  // Cut by code points: slicing UTF-16 units could leave half an emoji (a lone surrogate) in the message.
  if (typeof value === 'string') return `the string \`${[...value].length > 40 ? [...value].slice(0, 40).join('') + '…' : value}\``;
  return `${typeof value === 'number' && Number.isInteger(value) ? 'the integer' : `the ${typeof value}`} \`${String(value)}\``;
}

const typeNoun: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function nouns(types: unknown): string[] {
  const list = Array.isArray(types) ? types : [types];
  return list.map((t) => typeNoun[String(t)] ?? String(t));
}

function orList(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/**
 * ajv reports every branch of an `anyOf`; a person wants the branch that fits the value.
 * When some branch accepts the value's JSON type, keep only that branch's errors; when none
 * does, say once which types would do.
 */
function simplify(errors: ErrorObject[], root: unknown): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const merged: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') dropped.add(e);
    // A string keyword failing on a map comes from `propertyNames`, reported once per key below.
    if (STRING_KEYWORDS.has(e.keyword) && isMap(valueAt(root, pathOf(e.instancePath)))) dropped.add(e);
    if (e.propertyName !== undefined) dropped.add(e);
    // A missing tag fails both `required` and `discriminator`; the discriminator's message lists the choices, so it stays alone.
    if (e.keyword === 'required' && errors.some((o) => o.keyword === 'discriminator' && o.instancePath === e.instancePath && o.params.tag === e.params.missingProperty)) dropped.add(e);
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const under = errors.filter((o) => o.schemaPath.startsWith(`${e.schemaPath}/`));
    if ((e.parentSchema as SchemaNode)['x-message']) {
      under.forEach((o) => dropped.add(o));
      continue;
    }
    // Every branch declares its JSON type inline, so a type error at this path is a branch the value's type rules out.
    const branchTypes = (e.schema as SchemaNode[]).map((b) => b.type);
    const typeMisses = errors.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath);
    const matched = branchTypes.some((t) => !typeMisses.some((o) => o.schemaPath.startsWith(`${e.schemaPath}/`) && sameType(o.params.type, t)));
    dropped.add(e);
    typeMisses.forEach((o) => dropped.add(o));
    if (!matched) merged.push({ ...e, keyword: 'type', params: { type: branchTypes.flat() } });
  }
  return [...errors.filter((e) => !dropped.has(e)), ...merged];
}

const isMap = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
const valueAt = (root: unknown, path: SpecPath): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), root);

const STRING_KEYWORDS = new Set(['pattern', 'maxLength', 'minLength', 'not', 'enum', 'const']);
const sameType = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function messageFor(e: ErrorObject, path: SpecPath): { message: string; path: SpecPath; anchor: 'key' | 'value' } {
  const parent = e.parentSchema as SchemaNode | undefined;
  const rule = typeof parent?.['x-rule'] === 'string' ? `: ${parent['x-rule']}` : '';
  const key = lastKey(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const known = Object.keys((parent?.properties as SchemaNode | undefined) ?? {});
      const hit = closest(extra, known);
      const hint = hit ? `; did you mean \`${hit}\`?` : known.length ? `; expected one of ${known.map((k) => `\`${k}\``).join(', ')}` : '';
      return { path: [...path, extra], anchor: 'key', message: `\`${extra}\` is not a property of ${thing(parent)}${hint}` };
    }
    case 'required':
      return { path, anchor: 'key', message: `${thing(parent)} needs \`${String(e.params.missingProperty)}\`${path.length ? ` (missing from ${key})` : ''}` };
    case 'discriminator': {
      const allowed = ((parent?.oneOf as SchemaNode[] | undefined) ?? []).map((b) => String(b.$ref).split('/').pop() ?? '');
      const tag = String(e.params.tag);
      const value = (e.data as Record<string, unknown> | null)?.[tag];
      const hit = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        path: [...path, tag],
        anchor: value === undefined ? 'key' : 'value',
        message:
          value === undefined
            ? `${thing(parent)} needs \`${tag}\`, one of ${allowed.map((v) => `\`${v}\``).join(', ')}${path.length ? ` (missing from ${lastKey(path)})` : ''}`
            : `\`${tag}\` must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}, not ${describeValue(value)}${hit ? `; did you mean \`${hit}\`?` : ''}`,
      };
    }
    case 'type': {
      // `database: postgres` indented at the level of the services is read as a service named `database`.
      const own = path[path.length - 1];
      const misplaced = typeof own === 'string' && e.params.type === 'object' && Object.hasOwn((parent?.properties as SchemaNode | undefined) ?? {}, own);
      const hint = misplaced ? `; \`${own}\` is read as ${thing(parent)} here: if it is a setting of the one above, indent it one level deeper` : '';
      return { path, anchor: 'value', message: `${key} must be ${orList(nouns(e.params.type))}, not ${describeValue(e.data)}${hint}` };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const hit = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return {
        path,
        anchor: 'value',
        message: `${key} must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}, not ${describeValue(e.data)}${hit ? `; did you mean \`${hit}\`?` : ''}`,
      };
    }
    case 'const':
      return { path, anchor: 'value', message: `${key} must be \`${String(e.params.allowedValue)}\`, not ${describeValue(e.data)}` };
    case 'pattern':
    case 'maxLength':
    case 'not':
      return { path, anchor: 'value', message: `${key}: ${describeValue(e.data)} is not allowed here${rule}` };
    case 'minimum':
    case 'maximum':
      return { path, anchor: 'value', message: `${key} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(e.params.limit)}, not ${String(e.data)}` };
    case 'minItems':
      return { path, anchor: 'value', message: `${key} needs at least ${String(e.params.limit)} item${e.params.limit === 1 ? '' : 's'}` };
    case 'minProperties':
      return { path, anchor: 'value', message: `${key} needs at least ${String(e.params.limit)} entr${e.params.limit === 1 ? 'y' : 'ies'}` };
    case 'uniqueItems':
      return { path: [...path, Number(e.params.i)], anchor: 'value', message: `${key} lists ${describeValue((e.data as unknown[])[Number(e.params.i)])} twice` };
    case 'oneOf':
      return { path, anchor: 'key', message: `${key}: ${String(parent?.['x-message'] ?? 'matches none or several of the allowed shapes')}` };
    default:
      return { path, anchor: 'value', message: `${key} ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Key names are checked by `propertyNames`; ajv reports the failing name through
 * `propertyName` on the inner errors. They become one message per bad key, at the key.
 */
function keyNameMessage(e: ErrorObject, path: SpecPath, root: SchemaNode): { message: string; path: SpecPath; anchor: 'key' } {
  const name = String(e.params.propertyName);
  const parent = resolveRef(e.schema as SchemaNode, root);
  const what = typeof parent?.title === 'string' ? parent.title : 'key';
  const rule = typeof parent?.['x-rule'] === 'string' ? `: ${parent['x-rule']}` : '';
  return { path: [...path, name], anchor: 'key', message: `\`${name}\` is not a valid ${what}${rule}` };
}

function resolveRef(node: SchemaNode, root: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<SchemaNode>((n, key) => (n[key] as SchemaNode) ?? {}, root);
}

export function validateSchema(source: SpecSource): Diagnostic[] {
  const validate = validator();
  if (validate(source.data)) return [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of simplify(validate.errors ?? [], source.data)) {
    const path = pathOf(e.instancePath);
    const m = e.keyword === 'propertyNames' ? keyNameMessage(e, path, schemaRoot()) : messageFor(e, path);
    const d = diagnosticAt(source, m.path, 'error', 'schema', oneLine(m.message), m.anchor);
    const id = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(d);
  }
  return diagnostics;
}
