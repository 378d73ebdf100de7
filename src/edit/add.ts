/**
 * `microgen add`: from validated inputs to the new spec text. Each kind becomes one
 * `insertEntry` request (a map entry or a list item, in the layout of the examples), after
 * checking that the names follow the schema's rules and that nothing is added twice; what a
 * flag left open is picked so that the result lints clean (a port, a GET's response and the
 * schema it names, a route's upstream path), and an event's publishers and subscribers are
 * further entries in those services. The CLI lints the result before writing it; this module
 * never touches the disk.
 */
import { reachableUnder } from '../checks/routes.js';
import { assignPorts, DEFAULT_GATEWAY_PORT, FIRST_SERVICE_PORT, pathParams } from '../model/build.js';
import { parseSpecText, type SpecSource } from '../spec/source.js';
import { didYouMean } from '../util/suggest.js';
import { EditError, Flow, insertEntry, type InsertRequest, type Value } from './insert.js';
import { checkName, keyOrder, ruleViolation, type RuleKind } from './rules.js';

export type AddInput =
  | { kind: 'service'; name: string; port?: number; database?: string }
  | { kind: 'event'; name: string; fields: Array<[string, string]>; version?: number; publishers?: string[]; subscribers?: string[] }
  | { kind: 'operation'; service: string; name: string; http: string; body?: string | Array<[string, string]>; responses?: Array<[string, string]> }
  | { kind: 'route'; path: string; service: string; stripPath?: boolean; upstreamPath?: string; auth?: string };

export type AddKind = AddInput['kind'];

/** The inputs break a naming rule: a usage mistake (exit 2). */
export class AddInputError extends Error {}
/** The spec cannot take the addition (a duplicate, an unknown service): exit 1, spec untouched. */
export class AddRefused extends Error {}

// ---------------------------------------------------------------------------------------------
// Parsing flag values

/** `k:type` items (each may hold several, comma-separated) → ordered field list. */
export function parseFields(items: readonly string[], what = '--field'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const item of items.flatMap((i) => i.split(','))) {
    const s = item.trim();
    if (s === '') continue;
    const colon = s.indexOf(':');
    if (colon <= 0 || colon === s.length - 1) throw new AddInputError(`${what} "${s}" must look like name:type, for example orderId:string`);
    out.push([s.slice(0, colon).trim(), s.slice(colon + 1).trim()]);
  }
  return out;
}

/** `200:User` items → ordered (status, type) list. */
export function parseResponses(items: readonly string[]): Array<[string, string]> {
  return items.map((item) => {
    const m = /^\s*([0-9]+)\s*:\s*(.+?)\s*$/.exec(item);
    if (!m) throw new AddInputError(`--response "${item}" must look like STATUS:TYPE, for example 200:User or 204:empty`);
    return [m[1], m[2]];
  });
}

/** `--body`: a type (`NewUser`), or inline fields (`name:string,email:email`). */
export function parseBody(value: string): string | Array<[string, string]> {
  return value.includes(':') ? parseFields([value], '--body') : value.trim();
}

export function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 65535) throw new AddInputError(`--port "${value}" must be a number from 1 to 65535`);
  return Number(value);
}

export function parseVersion(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value.trim()) || Number(value) < 1) throw new AddInputError(`the event version "${value}" must be a whole number from 1`);
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// Validation

function need(kind: RuleKind, value: string): void {
  const problem = checkName(kind, value);
  if (problem) throw new AddInputError(problem);
}

function checkFields(fields: ReadonlyArray<[string, string]>, what: string): void {
  const seen = new Set<string>();
  for (const [k, t] of fields) {
    need('field', k);
    need('type', t);
    if (seen.has(k)) throw new AddInputError(`${what} names the field "${k}" twice`);
    seen.add(k);
  }
}

/** Every naming rule the inputs must follow, before the spec is even read. */
export function validateInput(input: AddInput): void {
  switch (input.kind) {
    case 'service':
      need('service', input.name);
      if (input.database !== undefined) need('database', input.database);
      return;
    case 'event':
      need('event', input.name);
      if (input.fields.length === 0) throw new AddInputError('an event needs at least one payload field: --field name:type');
      checkFields(input.fields, '--field');
      for (const s of [...(input.publishers ?? []), ...(input.subscribers ?? [])]) need('service', s);
      return;
    case 'operation':
      need('service', input.service);
      need('operation', input.name);
      need('http', input.http);
      if (typeof input.body === 'string') need('type', input.body);
      else if (input.body) checkFields(input.body, '--body');
      for (const [status, type] of input.responses ?? []) {
        need('status', status);
        need('type', type);
      }
      if (new Set((input.responses ?? []).map(([s]) => s)).size !== (input.responses ?? []).length) throw new AddInputError('--response gives the same status twice');
      return;
    case 'route':
      need('path', input.path);
      need('service', input.service);
      if (input.upstreamPath !== undefined) need('path', input.upstreamPath);
      if (input.auth !== undefined) need('auth', input.auth);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Building the entry

export type SpecData = {
  schemas?: Record<string, unknown> | null;
  services?: Record<string, { port?: number; schemas?: Record<string, unknown> | null; operations?: Record<string, { http?: string } | null> | null; publishes?: unknown[] | null; subscribes?: unknown[] | null } | null> | null;
  events?: Record<string, unknown> | null;
  gateway?: { port?: number; routes?: Array<{ path?: string }> | null } | null;
};

const fieldsValue = (fields: ReadonlyArray<[string, string]>): Value => {
  const map = new Map<string, Value>(fields);
  // Short payloads read best on one line, as in the examples; long ones as a block.
  const oneLine = fields.reduce((n, [k, t]) => n + k.length + t.length + 4, 4);
  return oneLine <= 72 ? new Flow(map) : map;
};

/** Where new keys go in each map: the schema's order (`operations` before `publishes`, `events` before `gateway`). */
function order(path: readonly string[]): readonly string[] | undefined {
  if (path.length === 0) return keyOrder('root');
  if (path.length === 2 && path[0] === 'services') return keyOrder('service');
  if (path.length === 1 && path[0] === 'gateway') return keyOrder('gateway');
  return undefined;
}

/** Duplicates and missing parents: the checks that need the spec's data. */
function refuse(data: SpecData, input: AddInput): void {
  const services = Object.keys(data.services ?? {});
  switch (input.kind) {
    case 'service':
      if (services.includes(input.name)) throw new AddRefused(`service "${input.name}" already exists`);
      return;
    case 'event':
      if (Object.keys(data.events ?? {}).includes(input.name)) throw new AddRefused(`event "${input.name}" already exists`);
      for (const s of [...(input.publishers ?? []), ...(input.subscribers ?? [])]) {
        if (!services.includes(s)) throw new AddRefused(`service "${s}" is not declared${didYouMean(s, services)}`);
      }
      return;
    case 'operation': {
      if (!services.includes(input.service)) throw new AddRefused(`service "${input.service}" is not declared${didYouMean(input.service, services)}; add it first with \`microgen add service ${input.service}\``);
      const ops = data.services?.[input.service]?.operations ?? {};
      if (Object.keys(ops).includes(input.name)) throw new AddRefused(`operation "${input.name}" already exists in service "${input.service}"`);
      return;
    }
    case 'route':
      if ((data.gateway?.routes ?? []).some((r) => r?.path === input.path)) throw new AddRefused(`a route for ${input.path} already exists`);
      return;
  }
}

export function requestFor(input: AddInput): InsertRequest {
  switch (input.kind) {
    case 'service': {
      const body = new Map<string, Value>();
      if (input.port !== undefined) body.set('port', input.port);
      body.set('database', input.database ?? 'none');
      return { path: ['services'], key: input.name, value: body, order };
    }
    case 'event': {
      const body = new Map<string, Value>();
      if (input.version !== undefined) body.set('version', input.version);
      body.set('payload', fieldsValue(input.fields));
      return { path: ['events'], key: input.name, value: body, order };
    }
    case 'operation': {
      const body = new Map<string, Value>([['http', input.http]]);
      if (input.body !== undefined) body.set('body', typeof input.body === 'string' ? input.body : fieldsValue(input.body));
      // Status codes as plain numbers, `{ 200: User }`, as the examples write them.
      if (input.responses?.length) body.set('responses', new Flow(new Map<number, Value>(input.responses.map(([s, t]) => [Number(s), t]))));
      return { path: ['services', input.service, 'operations'], key: input.name, value: body, order };
    }
    case 'route': {
      const body = new Map<string, Value>([
        ['path', input.path],
        ['service', input.service],
      ]);
      if (input.stripPath) body.set('stripPath', true);
      if (input.upstreamPath !== undefined) body.set('upstreamPath', input.upstreamPath);
      if (input.auth !== undefined) body.set('auth', input.auth);
      return { path: ['gateway', 'routes'], value: body, order };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Defaults that leave the spec lint-clean: what `add` chooses when a flag is not given

/**
 * The port for a new service: the one it would get without `port:` (its place at the end) when
 * that is free, else the lowest free one from 8001. Written out, so that no later change of
 * places moves it, and clashing with no port, declared or implicit, nor the gateway's.
 */
export function nextFreePort(data: SpecData): number {
  const entries = Object.entries(data.services ?? {}).map(([n, s]) => [n, { port: s?.port }] as const);
  const gateway = data.gateway?.port ?? DEFAULT_GATEWAY_PORT;
  const taken = new Set([gateway, ...assignPorts(entries, gateway).values()]);
  const own = assignPorts([...entries, ['\0new', {}]], gateway).get('\0new')!;
  if (!taken.has(own)) return own;
  let port = FIRST_SERVICE_PORT;
  while (taken.has(port)) port++;
  return port;
}

const pascal = (word: string): string => word.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/** `orders` → `order`, `categories` → `category`, `addresses` → `address`; undefined when the word does not look like a plural. */
function singular(word: string): string | undefined {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word) && !/is$/.test(word)) return word.slice(0, -1); // not `status`, `analysis`
  return undefined;
}

/**
 * The response of a GET added without `--response`: a schema named after the resource the path
 * names (`GET /orders/{id}` → `200: Order`, `GET /orders` → `200: Order[]`). An existing schema
 * of that name is used; otherwise a small one is added to the service, for the user to fill in.
 */
function defaultResponse(data: SpecData, service: string, name: string, http: string): { type: string; schema?: [string, Array<[string, string]>] } {
  const path = http.slice(http.indexOf(' ') + 1);
  const segments = path.split('/').filter(Boolean);
  const literals = segments.filter((s) => !s.startsWith('{'));
  const last = literals[literals.length - 1] ?? name.replace(/^(get|list|find|fetch|read|search)(?=[A-Z])/, '');
  const one = singular(last);
  let schema = pascal(one ?? last);
  if (ruleViolation('schema', schema) !== undefined && schema !== 'Error') schema = `${schema}Item`;
  if (ruleViolation('schema', schema) !== undefined && schema !== 'Error') schema = 'Item';
  const collection = one !== undefined && !segments[segments.length - 1]?.startsWith('{');
  const type = collection ? `${schema}[]` : schema;
  const known = schema === 'Error' || Object.hasOwn(data.schemas ?? {}, schema) || Object.hasOwn(data.services?.[service]?.schemas ?? {}, schema);
  if (known) return { type };
  const params = pathParams(path);
  const id = segments[segments.length - 1]?.startsWith('{') ? params[params.length - 1] : 'id';
  return { type, schema: [schema, [[id, 'string']]] };
}

/** The longest path prefix every operation of the service starts with (`/orders` for `/orders` and `/orders/{id}`). */
function commonPrefix(paths: readonly string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const out: string[] = [];
  for (let i = 0; split.every((s) => i < s.length); i++) {
    const seg = split[0][i];
    if (seg.startsWith('{') || !split.every((s) => s[i] === seg)) break;
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * A route added without `--strip-path` or `--upstream-path`: as given when it already reaches an
 * operation of the service; else it strips its path and forwards under the prefix the operations share.
 */
function defaultRoute(data: SpecData, input: Extract<AddInput, { kind: 'route' }>): Extract<AddInput, { kind: 'route' }> {
  if (input.upstreamPath !== undefined || input.stripPath) return input;
  const paths = Object.values(data.services?.[input.service]?.operations ?? {})
    .map((o) => (typeof o?.http === 'string' ? o.http.slice(o.http.indexOf(' ') + 1) : undefined))
    .filter((p): p is string => p !== undefined);
  if (paths.length === 0 || paths.some((path) => reachableUnder(input.path, { path }))) return input;
  const prefix = commonPrefix(paths);
  return { ...input, stripPath: true, ...(prefix !== '/' ? { upstreamPath: prefix } : {}) };
}

/** The input with the defaults filled in, and the further entries it needs (a schema, publications, subscriptions). */
function complete(data: SpecData, input: AddInput): { input: AddInput; before: InsertRequest[]; after: InsertRequest[] } {
  switch (input.kind) {
    case 'service':
      return { input: input.port === undefined ? { ...input, port: nextFreePort(data) } : input, before: [], after: [] };
    case 'operation': {
      if (input.responses?.length || !input.http.startsWith('GET ')) return { input, before: [], after: [] };
      const { type, schema } = defaultResponse(data, input.service, input.name, input.http);
      const before: InsertRequest[] = schema ? [{ path: ['services', input.service, 'schemas'], key: schema[0], value: fieldsValue(schema[1]), order }] : [];
      return { input: { ...input, responses: [['200', type]] }, before, after: [] };
    }
    case 'route':
      return { input: defaultRoute(data, input), before: [], after: [] };
    case 'event': {
      const after: InsertRequest[] = [];
      const list = (service: string, key: 'publishes' | 'subscribes', item: Value): void => {
        const existing = data.services?.[service]?.[key];
        // Appended to the list there is; a new list as the examples write it.
        if (Array.isArray(existing)) after.push({ path: ['services', service, key], value: item, order });
        else after.push({ path: ['services', service], key, value: key === 'publishes' ? new Flow([item]) : [item], order });
      };
      for (const p of new Set(input.publishers)) list(p, 'publishes', input.name);
      for (const s of new Set(input.subscribers)) list(s, 'subscribes', new Map([['event', input.name]]));
      return { input, before: [], after };
    }
  }
}

/**
 * The spec text with the addition, and the input with the defaults `add` chose; throws
 * AddInputError, AddRefused, or EditError (layout it cannot edit safely).
 */
export function planAdd(source: SpecSource, input: AddInput): { input: AddInput; text: string } {
  validateInput(input);
  const data = (source.data ?? {}) as SpecData;
  refuse(data, input);
  const done = complete(data, input);
  let text = source.text;
  let doc = source.doc;
  for (const req of [...done.before, requestFor(done.input), ...done.after]) {
    if (text !== source.text) {
      const again = parseSpecText(source.file, text);
      if (!again.ok) throw new EditError('the edit would not be valid YAML; the spec was not changed');
      doc = again.source.doc;
    }
    text = insertEntry(text, doc, req);
  }
  return { input: done.input, text };
}

/** The spec text with the addition (see planAdd). */
export function applyAdd(source: SpecSource, input: AddInput): string {
  return planAdd(source, input).text;
}

export { EditError };

/** One line for the user: what was added, with the defaults chosen. */
export function describeAdd(input: AddInput): string {
  switch (input.kind) {
    case 'service':
      return `service ${input.name}${input.port !== undefined ? ` (port ${input.port})` : ''}`;
    case 'event': {
      const who = [...(input.publishers ?? []).map((p) => `published by ${p}`), ...(input.subscribers ?? []).map((s) => `subscribed by ${s}`)];
      return `event ${input.name}${who.length ? ` (${who.join(', ')})` : ''}`;
    }
    case 'operation':
      return `operation ${input.service}.${input.name} (${input.http}${input.responses?.length ? ` → ${input.responses.map(([s, t]) => `${s}: ${t}`).join(', ')}` : ''})`;
    case 'route':
      return `route ${input.path} → ${input.service}${input.upstreamPath !== undefined ? ` (forwarded as ${input.upstreamPath}/…)` : input.stripPath ? ' (prefix stripped)' : ''}`;
  }
}
