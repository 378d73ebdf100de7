// Prompts of `microgen add` and `microgen init`, as plop generators.
//
// `microgen` runs these prompts through node-plop (plop's engine) when it is on a terminal and
// an argument is missing, then applies the answers through the same code path as the flags:
// the spec is edited through its YAML Document (comments and layout kept), linted, then
// written. Plop's own file actions are not used for that, because they would rewrite the
// spec as text templates.
//
// The name rules come from schema/microgen.schema.json, the single source of truth that lint
// and the flags use too, so a name the prompt accepts is a name lint accepts.
//
// Also usable on its own: `npx plop --plopfile node_modules/microgen/generators/plopfile.js service`
// asks the same questions and then runs `microgen add …` with the answers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '..', 'schema', 'microgen.schema.json'), 'utf8'));
const defs = schema.$defs;

const deref = (def) => (def && def.$ref && def.$ref.startsWith('#/$defs/') ? { ...defs[def.$ref.slice(8)], ...def, $ref: undefined } : def);

/** The schema rule `def` applied to `value`: true, or why not (inquirer shows the string). */
function follows(def, value, noun) {
  def = deref(def);
  const rule = def['x-rule'] || (def.enum ? `use one of ${def.enum.join(', ')}` : 'see schema/microgen.schema.json');
  const bad = (why) => `${noun} "${value}" is not valid: ${why}`;
  if (def.enum && !def.enum.includes(value)) return bad(rule);
  if (def.pattern && !new RegExp(def.pattern, 'u').test(value)) return bad(rule);
  if (def.maxLength !== undefined && [...value].length > def.maxLength) return bad(`it is longer than ${def.maxLength} characters`);
  // `not` holds one reserved-name rule, or several under `anyOf`.
  const nots = def.not ? (def.not.anyOf || [def.not]).map(deref) : [];
  for (const not of nots) {
    if (not.pattern && new RegExp(not.pattern, 'u').test(value)) return bad(`\`${value}\` is reserved`);
    if (not.enum && not.enum.includes(value)) return bad(`\`${value}\` is reserved`);
  }
  return true;
}

export const rules = {
  system: (v) => follows(defs.kebabName, v, 'system name'),
  service: (v) => follows(defs.serviceName, v, 'service name'),
  event: (v) => follows(defs.eventName, v, 'event name'),
  operation: (v) => follows(defs.identifier, v, 'operation name'),
  field: (v) => follows(defs.fieldName, v, 'field name'),
  type: (v) => follows(defs.typeString, v, 'type'),
  path: (v) => follows(defs.urlPath, v, 'path'),
  http: (v) => follows(defs.operation.properties.http, v, 'method and path'),
  status: (v) => follows(defs.operation.properties.responses.propertyNames, v, 'status code'),
};

const databases = defs.service.properties.database.enum;
const auths = defs.route.properties.auth.enum;

/** `a:string, b:integer?` → true, or the first problem. `optional`: the empty answer is fine. */
function fieldList(value, optional) {
  const items = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return optional ? true : 'give at least one field, such as orderId:string';
  for (const item of items) {
    const colon = item.indexOf(':');
    if (colon <= 0) return `"${item}" must look like name:type, such as orderId:string`;
    const ok = rules.field(item.slice(0, colon).trim());
    if (ok !== true) return ok;
    const typeOk = rules.type(item.slice(colon + 1).trim());
    if (typeOk !== true) return typeOk;
  }
  return true;
}

/**
 * What the prompts need to know about the spec: existing names (for duplicates and choices).
 * Defaults that need the model (the next free port, a GET's response, a route's upstream path)
 * are left to `microgen add`, which picks them when the answer is empty.
 */
async function readContext(cwd) {
  const empty = { services: [], events: [], operations: {}, routes: [], gatewayAuth: false };
  const file = join(cwd, 'microgen.yaml');
  if (!existsSync(file)) return empty;
  try {
    // The yaml package is a dependency of microgen, so it resolves from here.
    const { parse } = await import('yaml');
    const spec = parse(readFileSync(file, 'utf8')) || {};
    const services = spec.services || {};
    return {
      services: Object.keys(services),
      events: Object.keys(spec.events || {}),
      operations: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, Object.entries((s && s.operations) || {}).map(([op, o]) => ({ name: op, http: o && o.http }))])),
      routes: ((spec.gateway && spec.gateway.routes) || []).map((r) => r && r.path),
      gatewayAuth: Boolean(spec.gateway && spec.gateway.auth),
    };
  } catch {
    return empty;
  }
}

/** Runs the real CLI with the answers when plop itself drives these generators. */
function cliAction(kind, toArgs) {
  return (answers) => {
    const bin = join(here, '..', 'bin', 'microgen.js');
    const run = spawnSync(process.execPath, [bin, 'add', kind, ...toArgs(answers)], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`microgen add ${kind} failed (exit ${run.status})`);
    return `microgen add ${kind} done`;
  };
}

const opt = (flag, value) => (value === undefined || value === '' ? [] : [flag, String(value)]);
const csv = (flag, value) => String(value || '').split(',').map((s) => s.trim()).filter(Boolean).flatMap((v) => [flag, v]);

/** A comma-separated list of declared services (empty: none). */
const serviceList = (services) => (value) => {
  for (const name of String(value).split(',').map((s) => s.trim()).filter(Boolean)) {
    const ok = rules.service(name);
    if (ok !== true) return ok;
    if (services.length && !services.includes(name)) return `service "${name}" is not declared (${services.join(', ')})`;
  }
  return true;
};

/**
 * @param {import('node-plop').NodePlopAPI} plop
 * @param {{ microgen?: { services: string[], events: string[], operations: Record<string, {name: string, http?: string}[]>, routes: string[], nextPort?: number, gatewayAuth: boolean, defaultName?: string } }} [cfg]
 *   microgen passes what it already parsed; plop on its own reads ./microgen.yaml.
 */
export default async function (plop, cfg) {
  const ctx = (cfg && cfg.microgen) || (await readContext(process.cwd()));
  const not = (list, noun) => (v) => (list.includes(v) ? `${noun} "${v}" already exists` : true);
  const both = (...checks) => (v, answers) => {
    for (const c of checks) {
      const r = c(String(v).trim(), answers);
      if (r !== true) return r;
    }
    return true;
  };
  const serviceQuestion = ctx.services.length
    ? { type: 'list', name: 'service', message: 'service', choices: ctx.services }
    : { type: 'input', name: 'service', message: 'service', validate: both(rules.service) };

  plop.setGenerator('service', {
    description: 'add a service to microgen.yaml',
    prompts: [
      { type: 'input', name: 'name', message: 'service name (kebab-case)', validate: both(rules.service, not(ctx.services, 'service')) },
      {
        type: 'input',
        name: 'port',
        message: ctx.nextPort ? 'port' : 'port (empty: the next free one)',
        ...(ctx.nextPort ? { default: String(ctx.nextPort) } : {}),
        validate: (v) => (/^[0-9]{1,5}$/.test(String(v).trim()) && Number(v) >= 1 && Number(v) <= 65535) || String(v).trim() === '' || 'a port is a number from 1 to 65535',
      },
      { type: 'list', name: 'db', message: 'database', choices: databases, default: 'none' },
    ],
    actions: [cliAction('service', (a) => [a.name, ...opt('--port', a.port), ...opt('--db', a.db)])],
  });

  plop.setGenerator('event', {
    description: 'add an event to microgen.yaml',
    prompts: [
      { type: 'input', name: 'name', message: 'event name (aggregate.happened)', validate: both(rules.event, not(ctx.events, 'event')) },
      { type: 'input', name: 'fields', message: 'payload fields (name:type, comma-separated)', validate: (v) => fieldList(v, false) },
      { type: 'input', name: 'publishers', message: 'services that publish it (comma-separated; empty: none yet)', validate: serviceList(ctx.services) },
      { type: 'input', name: 'subscribers', message: 'services that subscribe to it (comma-separated; empty: none yet)', validate: serviceList(ctx.services) },
    ],
    actions: [cliAction('event', (a) => [a.name, ...csv('--field', a.fields), ...csv('--publisher', a.publishers), ...csv('--subscriber', a.subscribers)])],
  });

  plop.setGenerator('operation', {
    description: 'add an operation to a service',
    prompts: [
      serviceQuestion,
      {
        type: 'input',
        name: 'name',
        message: 'operation name (camelCase)',
        validate: both(rules.operation, (v, a) => ((ctx.operations[a.service] || []).some((o) => o.name === v) ? `operation "${v}" already exists in service "${a.service}"` : true)),
      },
      {
        type: 'input',
        name: 'http',
        message: 'method and path (GET /things/{id})',
        validate: both(rules.http, (v, a) => {
          const same = (ctx.operations[a.service] || []).find((o) => o.http === v);
          return same ? `${v} is already operation "${same.name}"` : true;
        }),
      },
      { type: 'input', name: 'body', message: 'request body: a type, or fields name:type,… (empty: none)', validate: (v) => (String(v).includes(':') ? fieldList(v, true) : String(v).trim() === '' || rules.type(String(v).trim())) },
      {
        type: 'input',
        name: 'responses',
        message: 'responses STATUS:TYPE, comma-separated (empty: 200 with a schema named after the resource for a GET, else 204)',
        validate: (v) => {
          for (const item of String(v).split(',').map((s) => s.trim()).filter(Boolean)) {
            const m = /^([0-9]+):(.+)$/.exec(item);
            if (!m) return `"${item}" must look like 200:User`;
            const ok = rules.status(m[1]) === true ? rules.type(m[2].trim()) : rules.status(m[1]);
            if (ok !== true) return ok;
          }
          return true;
        },
      },
    ],
    actions: [cliAction('operation', (a) => [a.service, a.name, '--http', a.http, ...opt('--body', a.body), ...csv('--response', a.responses)])],
  });

  plop.setGenerator('route', {
    description: 'add a gateway route',
    prompts: [
      { type: 'input', name: 'path', message: 'route path prefix (/api/things)', validate: both(rules.path, not(ctx.routes, 'a route for')) },
      serviceQuestion,
      { type: 'confirm', name: 'stripPath', message: 'strip the prefix before forwarding? (no: microgen picks what reaches the operations)', default: false },
      { type: 'input', name: 'upstreamPath', message: "upstream path put in front (empty: one that reaches the service's operations)", validate: (v) => String(v).trim() === '' || rules.path(String(v).trim()) },
      { type: 'list', name: 'auth', message: 'authentication', choices: auths, default: ctx.gatewayAuth ? 'jwt' : 'none' },
    ],
    actions: [cliAction('route', (a) => [a.path, '--service', a.service, ...(a.stripPath ? ['--strip-path'] : []), ...opt('--upstream-path', a.upstreamPath), ...opt('--auth', a.auth)])],
  });

  plop.setGenerator('init', {
    description: 'start a microgen.yaml',
    prompts: [
      { type: 'input', name: 'name', message: 'system name (kebab-case)', default: ctx.defaultName, validate: both(rules.system) },
      { type: 'list', name: 'example', message: 'start from', choices: ['minimal', 'shop'], default: 'minimal' },
    ],
    actions: [],
  });
}
