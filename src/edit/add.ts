/**
 * `microgen add`: from validated inputs to the new spec text. Each kind becomes one
 * `insertEntry` request (a map entry or a list item, in the layout of the examples), after
 * checking that the names follow the schema's rules and that nothing is added twice.
 * The CLI lints the result before writing it; this module never touches the disk.
 */
import type { SpecSource } from '../spec/source.js';
import { didYouMean } from '../util/suggest.js';
import { EditError, Flow, insertEntry, type InsertRequest, type Value } from './insert.js';
import { checkName, keyOrder, type RuleKind } from './rules.js';

export type AddInput =
  | { kind: 'service'; name: string; port?: number; database?: string }
  | { kind: 'event'; name: string; fields: Array<[string, string]>; version?: number }
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

type Data = {
  services?: Record<string, { operations?: Record<string, { http?: string }> } | null> | null;
  events?: Record<string, unknown> | null;
  gateway?: { routes?: Array<{ path?: string }> | null } | null;
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
function refuse(data: Data, input: AddInput): void {
  const services = Object.keys(data.services ?? {});
  switch (input.kind) {
    case 'service':
      if (services.includes(input.name)) throw new AddRefused(`service "${input.name}" already exists`);
      return;
    case 'event':
      if (Object.keys(data.events ?? {}).includes(input.name)) throw new AddRefused(`event "${input.name}" already exists`);
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

/** The spec text with the addition; throws AddInputError, AddRefused, or EditError (layout it cannot edit safely). */
export function applyAdd(source: SpecSource, input: AddInput): string {
  validateInput(input);
  refuse((source.data ?? {}) as Data, input);
  return insertEntry(source.text, source.doc, requestFor(input));
}

export { EditError };

/** One line for the user: what was added. */
export function describeAdd(input: AddInput): string {
  switch (input.kind) {
    case 'service':
      return `service ${input.name}`;
    case 'event':
      return `event ${input.name}`;
    case 'operation':
      return `operation ${input.service}.${input.name} (${input.http})`;
    case 'route':
      return `route ${input.path} → ${input.service}`;
  }
}
