/**
 * What Kong 3.9 would check when it loads a declarative file, for the parts of it microgen writes,
 * since Kong itself does not run here and decK 1.4 (Debian's) checks entity fields but no plugin
 * config. Taken from Kong 3.9's schemas: the plugin schemas Kong publishes per version
 * (`jwt`, `rate-limiting`), the plugins' `schema.lua` (`cors`, `correlation-id`), the jwt
 * credential's `daos.lua` and the route, service and consumer entities. Fields microgen never
 * writes are left out on purpose: an unexpected field is reported, not waved through.
 */
import { execFileSync } from 'node:child_process';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** Kong's `utf8_name`, restricted to its ASCII part (microgen writes no other). */
const NAME = { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' };
const TIMEOUT = { type: 'integer', minimum: 1, maximum: 2 ** 31 - 2 };
const STRING_SET = { type: 'array', items: { type: 'string' }, uniqueItems: true };
const METHOD = { enum: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'] };

const configSchemas: Record<string, object> = {
  jwt: {
    type: 'object',
    additionalProperties: false,
    properties: {
      uri_param_names: STRING_SET,
      cookie_names: STRING_SET,
      header_names: STRING_SET,
      key_claim_name: { type: 'string' },
      secret_is_base64: { type: 'boolean' },
      claims_to_verify: { type: 'array', items: { enum: ['exp', 'nbf'] }, uniqueItems: true },
      anonymous: { type: 'string' },
      run_on_preflight: { type: 'boolean' },
      maximum_expiration: { type: 'number', minimum: 0, maximum: 31536000 },
      realm: { type: 'string' },
    },
  },
  'rate-limiting': {
    type: 'object',
    additionalProperties: false,
    anyOf: ['second', 'minute', 'hour', 'day', 'month', 'year'].map((p) => ({ required: [p] })),
    properties: {
      ...Object.fromEntries(['second', 'minute', 'hour', 'day', 'month', 'year'].map((p) => [p, { type: 'number', exclusiveMinimum: 0 }])),
      limit_by: { enum: ['consumer', 'consumer-group', 'credential', 'header', 'ip', 'path', 'service'] },
      header_name: { type: 'string' },
      path: { type: 'string' },
      policy: { enum: ['cluster', 'local', 'redis'] },
      fault_tolerant: { type: 'boolean' },
      hide_client_headers: { type: 'boolean' },
      error_code: { type: 'number', minimum: 0 },
      error_message: { type: 'string' },
      sync_rate: { type: 'number' },
    },
  },
  cors: {
    type: 'object',
    additionalProperties: false,
    properties: {
      origins: { type: 'array', items: { type: 'string' } },
      headers: { type: 'array', items: { type: 'string' } },
      exposed_headers: { type: 'array', items: { type: 'string' } },
      methods: { type: 'array', items: METHOD },
      max_age: { type: 'number' },
      credentials: { type: 'boolean' },
      private_network: { type: 'boolean' },
      preflight_continue: { type: 'boolean' },
      allow_origin_absent: { type: 'boolean' },
    },
  },
  'correlation-id': {
    type: 'object',
    additionalProperties: false,
    properties: {
      header_name: { type: 'string' },
      generator: { enum: ['uuid', 'uuid#counter', 'tracker'] },
      echo_downstream: { type: 'boolean' },
    },
  },
};

/** A plugin entry: the config schema of its name, plus where it applies when it is top-level. */
const plugin = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { enum: Object.keys(configSchemas) },
    config: { type: 'object' },
    enabled: { type: 'boolean' },
    route: { type: 'string' },
    service: { type: 'string' },
    consumer: { type: 'string' },
  },
  allOf: Object.entries(configSchemas).map(([name, config]) => ({
    if: { properties: { name: { const: name } } },
    then: { properties: { config } },
  })),
};

const route = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'paths'],
  properties: {
    name: NAME,
    paths: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(/|~/)' } },
    methods: { type: 'array', items: METHOD, uniqueItems: true },
    strip_path: { type: 'boolean' },
    preserve_host: { type: 'boolean' },
    request_buffering: { type: 'boolean' },
    response_buffering: { type: 'boolean' },
    plugins: { type: 'array', items: plugin },
  },
};

const service = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'url'],
  properties: {
    name: NAME,
    url: { type: 'string', pattern: '^https?://' },
    connect_timeout: TIMEOUT,
    read_timeout: TIMEOUT,
    write_timeout: TIMEOUT,
    retries: { type: 'integer', minimum: 0, maximum: 32767 },
    routes: { type: 'array', items: route },
    plugins: { type: 'array', items: plugin },
  },
};

const jwtSecret = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'algorithm'],
  properties: {
    key: { type: 'string' },
    algorithm: { enum: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'] },
    secret: { type: 'string' },
    rsa_public_key: { type: 'string' },
  },
  // Kong needs the secret of an HMAC credential and the public key of the others.
  if: { properties: { algorithm: { pattern: '^HS' } } },
  then: { required: ['secret'] },
  else: { required: ['rsa_public_key'] },
};

const KONG_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['_format_version'],
  properties: {
    _format_version: { const: '3.0' },
    services: { type: 'array', items: service },
    consumers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username'],
        properties: { username: { type: 'string', minLength: 1 }, jwt_secrets: { type: 'array', items: jwtSecret } },
      },
    },
    plugins: { type: 'array', items: plugin },
  },
};

const validate: ValidateFunction<unknown> = new Ajv2020({ allErrors: true, strict: false }).compile(KONG_FILE_SCHEMA);

export interface KongPluginEntry {
  name: string;
  config?: Record<string, unknown>;
  route?: string;
  service?: string;
  consumer?: string;
}
export interface KongRouteEntry {
  name: string;
  paths: string[];
  methods?: string[];
  strip_path?: boolean;
  plugins?: KongPluginEntry[];
}
export interface KongServiceEntry {
  name: string;
  url: string;
  connect_timeout?: number;
  read_timeout?: number;
  write_timeout?: number;
  routes?: KongRouteEntry[];
  plugins?: KongPluginEntry[];
}
export interface KongFile {
  _format_version: string;
  services?: KongServiceEntry[];
  consumers?: { username: string; jwt_secrets?: { key: string; algorithm: string; secret?: string; rsa_public_key?: string }[] }[];
  plugins?: KongPluginEntry[];
}

/** Kong's rate-limiting `validate_periods_order`: no period may allow less than a shorter one. */
function periodProblems(where: string, config: Record<string, unknown>): string[] {
  const periods = ['second', 'minute', 'hour', 'day', 'month', 'year'];
  const out: string[] = [];
  periods.forEach((shorter, i) => {
    const low = config[shorter];
    if (typeof low !== 'number') return;
    for (const longer of periods.slice(i + 1)) {
      const high = config[longer];
      if (typeof high === 'number' && high < low) out.push(`${where}: the limit for ${longer} cannot be lower than the limit for ${shorter}`);
    }
  });
  if (config.policy !== 'redis' && config.sync_rate !== undefined && config.sync_rate !== -1) out.push(`${where}: sync_rate can only be used with the redis policy`);
  return out;
}

/**
 * Everything Kong 3.9 would refuse in the file (as far as these checks reach), as messages;
 * empty when it would load. Also every reference by name resolves, names are unique, every
 * regex path and CORS origin compiles, and every URL parses.
 */
export function kongProblems(file: unknown): string[] {
  const out: string[] = [];
  if (!validate(file)) {
    for (const e of validate.errors ?? []) out.push(`schema: ${e.instancePath || '/'} ${e.message}`);
    return out;
  }
  const kong = file as KongFile;
  const unique = (kind: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) out.push(`${kind} name ${n} is used twice`);
      seen.add(n);
    }
    return seen;
  };
  const services = unique('service', (kong.services ?? []).map((s) => s.name));
  const routes = unique('route', (kong.services ?? []).flatMap((s) => (s.routes ?? []).map((r) => r.name)));
  const consumers = unique('consumer', (kong.consumers ?? []).map((c) => c.username));
  unique('jwt credential key', (kong.consumers ?? []).flatMap((c) => (c.jwt_secrets ?? []).map((j) => j.key)));

  const plugins: [string, KongPluginEntry][] = [
    ...(kong.plugins ?? []).map((p): [string, KongPluginEntry] => [`plugins.${p.name}`, p]),
    ...(kong.services ?? []).flatMap((s) => [
      ...(s.plugins ?? []).map((p): [string, KongPluginEntry] => [`service ${s.name}.${p.name}`, p]),
      ...(s.routes ?? []).flatMap((r) => (r.plugins ?? []).map((p): [string, KongPluginEntry] => [`route ${r.name}.${p.name}`, p])),
    ]),
  ];
  for (const [where, p] of plugins) {
    if (p.route !== undefined && !routes.has(p.route)) out.push(`${where}: route ${p.route} is not declared`);
    if (p.service !== undefined && !services.has(p.service)) out.push(`${where}: service ${p.service} is not declared`);
    if (p.consumer !== undefined && !consumers.has(p.consumer)) out.push(`${where}: consumer ${p.consumer} is not declared`);
    const config = p.config ?? {};
    if (p.name === 'rate-limiting') out.push(...periodProblems(where, config));
    if (p.name === 'jwt' && typeof config.maximum_expiration === 'number' && config.maximum_expiration > 0) {
      if (!(config.claims_to_verify as string[] | undefined)?.includes('exp')) out.push(`${where}: maximum_expiration needs exp in claims_to_verify`);
    }
    if (p.name === 'cors') {
      for (const origin of (config.origins as string[] | undefined) ?? []) {
        if (origin === '*') continue;
        try {
          new RegExp(origin);
        } catch {
          out.push(`${where}: origin ${JSON.stringify(origin)} is not a valid regex`);
        }
      }
    }
  }
  // One plugin of a name per scope: Kong refuses a second.
  for (const scope of [kong.plugins ?? [], ...(kong.services ?? []).flatMap((s) => [s.plugins ?? [], ...(s.routes ?? []).map((r) => r.plugins ?? [])])]) {
    const names = scope.filter((p) => p.route === undefined && p.service === undefined && p.consumer === undefined).map((p) => p.name);
    if (new Set(names).size !== names.length) out.push(`a plugin appears twice in one scope: ${names.join(', ')}`);
  }

  for (const s of kong.services ?? []) {
    try {
      const url = new URL(s.url);
      if (url.search || url.hash || url.username) out.push(`service ${s.name}: url ${s.url} has a query, fragment or credentials`);
    } catch {
      out.push(`service ${s.name}: url ${s.url} does not parse`);
    }
    for (const r of s.routes ?? []) {
      for (const path of r.paths) {
        if (path.startsWith('~')) {
          try {
            new RegExp(path.slice(1));
          } catch {
            out.push(`route ${r.name}: path ${path} is not a valid regex`);
          }
        } else if (path.includes('//') || path.split('/').some((seg) => seg === '.' || seg === '..')) {
          // Kong's routes schema: a prefix path must be normalized (as Kong normalizes requests).
          out.push(`route ${r.name}: path ${path} is not normalized`);
        }
      }
    }
  }
  return out;
}

/**
 * Renders decK's templates the way decK's text/template does for the two forms microgen
 * writes — `${{ env `NAME` }}` and the escape `${{ `${{` }}` — and fails on any other `${{`,
 * which would be a template action nobody meant.
 */
export function renderDeck(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (action, inner: string) => {
    const escaped = /^ `\$\{\{` $/.exec(inner);
    if (escaped) return '${{';
    const variable = /^ env `(DECK_[A-Za-z0-9_]+)` $/.exec(inner);
    if (!variable) throw new Error(`unexpected decK template action: ${action}`);
    const value = env[variable[1]];
    if (value === undefined) throw new Error(`environment variable '${variable[1]}' present in state file but not set`);
    return value;
  });
}

/** The file as Kong's YAML 1.1 parser reads it, after decK has rendered it. */
export function readKong(text: string, env: Record<string, string> = {}): KongFile {
  return parse(renderDeck(text, env), { version: '1.1' }) as KongFile;
}

/** `deck validate -s FILE` (offline): decK's own schema, references and duplicates. */
export function deckValidate(path: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('deck', ['validate', '--no-color', '-s', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new Error('decK is not installed: run `bash scripts/start-services.sh --install` (apt-get install -y deck)');
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}
