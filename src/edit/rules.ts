/**
 * Name rules for `microgen add` and `microgen init`, read from schema/microgen.schema.json —
 * the single source of truth for names. The flags, the prompts (generators/plopfile.js reads
 * the same `$defs`) and lint therefore agree on what a valid service, event or field name is.
 *
 * Only the keywords names use are interpreted: `pattern`, `maxLength`, `enum`, and `not` with
 * a `pattern` or `enum`, or `anyOf` of those (reserved names). Anything else is lint's job after the edit.
 */
import { createRequire } from 'node:module';
import { SCHEMA_PATH } from '../spec/schema.js';

interface Def {
  type?: string;
  title?: string;
  pattern?: string;
  maxLength?: number;
  enum?: unknown[];
  not?: Def & { $ref?: string; anyOf?: Def[] };
  $ref?: string;
  'x-rule'?: string;
}

interface SchemaDoc {
  $defs: Record<string, Def & { properties?: Record<string, Def & { propertyNames?: Def }> }>;
}

const require = createRequire(import.meta.url);
let schemaCache: SchemaDoc | undefined;
const schema = (): SchemaDoc => (schemaCache ??= require(SCHEMA_PATH) as SchemaDoc);

function resolveRef(def: Def): Def {
  if (def.$ref?.startsWith('#/$defs/')) return { ...schema().$defs[def.$ref.slice('#/$defs/'.length)], ...def, $ref: undefined };
  return def;
}

/** The rules a kind of name follows, by where the schema keeps them. */
const RULES = {
  system: () => schema().$defs.kebabName,
  service: () => schema().$defs.serviceName,
  event: () => schema().$defs.eventName,
  operation: () => schema().$defs.identifier,
  field: () => schema().$defs.fieldName,
  type: () => schema().$defs.typeString,
  schema: () => schema().$defs.schemaName,
  path: () => schema().$defs.urlPath,
  http: () => schema().$defs.operation.properties!.http,
  status: () => schema().$defs.operation.properties!.responses.propertyNames!,
  database: () => schema().$defs.service.properties!.database,
  auth: () => schema().$defs.route.properties!.auth,
} satisfies Record<string, () => Def>;

export type RuleKind = keyof typeof RULES;

/** Why `value` is not a valid `kind`, as the end of a sentence; undefined when it is valid. */
export function ruleViolation(kind: RuleKind, value: string): string | undefined {
  const def = resolveRef(RULES[kind]());
  const rule = def['x-rule'] ?? (def.enum ? `use one of ${def.enum.join(', ')}` : 'see schema/microgen.schema.json');
  if (def.enum && !def.enum.includes(value)) return rule;
  if (def.pattern && !new RegExp(def.pattern, 'u').test(value)) return rule;
  if (def.maxLength !== undefined && [...value].length > def.maxLength) return `it is longer than ${def.maxLength} characters`;
  // `not` holds one reserved-name rule, or several under `anyOf`.
  const nots = def.not ? (def.not.anyOf ?? [def.not]).map(resolveRef) : [];
  for (const not of nots) {
    if (not.pattern && new RegExp(not.pattern, 'u').test(value)) return `\`${value}\` is reserved (${rule})`;
    if (not.enum?.includes(value)) return `\`${value}\` is reserved (${rule})`;
  }
  return undefined;
}

const NOUN: Record<RuleKind, string> = {
  system: 'system name',
  service: 'service name',
  event: 'event name',
  operation: 'operation name',
  field: 'field name',
  type: 'type',
  schema: 'schema name',
  path: 'path',
  http: '--http value',
  status: 'status code',
  database: 'database',
  auth: 'auth',
};

/** A full sentence for an invalid value, or undefined. */
export function checkName(kind: RuleKind, value: string): string | undefined {
  const why = ruleViolation(kind, value);
  return why === undefined ? undefined : `${NOUN[kind]} "${value}" is not valid: ${why}`;
}

/** The allowed values of an enum rule (databases, auth). */
export function choices(kind: 'database' | 'auth'): string[] {
  return (resolveRef(RULES[kind]()).enum ?? []).map(String);
}

/**
 * A folder name made into a kebab-case system name: `My Shop_2` → `my-shop-2`,
 * `orderService` → `order-service`. The result may still be invalid (`2fast`); check it.
 */
export function kebabCase(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** The order the schema lists a map's keys in: the order new keys are placed in. */
export function keyOrder(map: 'root' | 'service' | 'gateway' | 'event' | 'operation' | 'route'): string[] {
  const s = schema() as SchemaDoc & { properties: Record<string, unknown> };
  return Object.keys(map === 'root' ? s.properties : (s.$defs[map].properties ?? {}));
}
