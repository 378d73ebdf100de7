/**
 * `schema`: the JSON Schema's verdicts, rewritten as sentences at the offending key or value.
 * Each spec here has exactly one problem, so the whole diagnostic list is compared.
 * The second half is the security side of names: anything that becomes a file, folder,
 * identifier or object key must be refused before a generator sees it.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';
import { show } from './helpers.js';

const HEAD = 'microgen: 1\nname: shop\n';

interface SchemaCase {
  readonly name: string;
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

function onlySchemaError(text: string, line: number, column: number, message: string): void {
  const result = lintText('spec.yaml', text);
  expect(result.diagnostics.map(show)).toHaveLength(1);
  expect(result.diagnostics[0]).toMatchObject({ file: 'spec.yaml', rule: 'schema', severity: 'error', line, column, message: expect.stringContaining(message) });
  // A model is never built from data the schema rejected.
  expect(result.model).toBeUndefined();
}

const CASES: SchemaCase[] = [
  // Unknown keys, with a suggestion when one is close.
  { name: 'unknown key in a service (databse)', text: HEAD + 'services:\n  user:\n    databse: postgres\n', line: 5, column: 5, message: '`databse` is not a property of a service; did you mean `database`?' },
  { name: 'unknown top-level key (servces)', text: HEAD + 'servces:\n  user: {}\n', line: 3, column: 1, message: '`servces` is not a property of the spec; did you mean `services`?' },
  { name: 'unknown key in a route (servce)', text: HEAD + 'gateway:\n  routes:\n    - path: /a\n      service: a\n      servce: a\n', line: 7, column: 7, message: '`servce` is not a property of a route; did you mean `service`?' },
  {
    name: 'unknown key with nothing close lists the allowed keys',
    text: HEAD + 'sagas:\n  a:\n    style: choreography\n    start: a.b\n    steps:\n      - when: a.b\n        service: x\n        action: a.b\n',
    line: 10,
    column: 9,
    message: '`action` is not a property of a choreography step; expected one of `when`, `service`, `emits`, `fails`',
  },
  // Wrong types.
  { name: 'a quoted port', text: HEAD + 'services:\n  user:\n    port: "8001"\n', line: 5, column: 11, message: '`port` must be an integer, not the string `8001`' },
  { name: 'a list where a map belongs', text: HEAD + 'services: []\n', line: 3, column: 11, message: '`services` must be a map, not a list' },
  { name: 'an empty value where a map belongs', text: HEAD + 'services:\n', line: 3, column: 10, message: '`services` must be a map, not empty' },
  { name: 'a number where a type belongs', text: HEAD + 'events:\n  a.b:\n    payload: { x: 5 }\n', line: 5, column: 19, message: '`x` must be a string or a map, not the integer `5`' },
  { name: 'a string where a list item map belongs', text: HEAD + 'services:\n  user:\n    subscribes: [user.created]\n', line: 5, column: 18, message: 'item 1 of `subscribes` must be a map, not the string `user.created`' },
  { name: 'the root is a scalar', text: 'just a string\n', line: 1, column: 1, message: 'the spec must be a map, not the string `just a string`' },
  // Enums, constants and ranges.
  { name: 'a misspelt database', text: HEAD + 'services:\n  user:\n    database: postgress\n', line: 5, column: 15, message: '`database` must be one of `postgres`, `mongodb`, `redis`, `none`, not the string `postgress`; did you mean `postgres`?' },
  { name: 'an unknown gateway kind', text: HEAD + 'gateway:\n  kind: nginx\n', line: 4, column: 9, message: '`kind` must be one of `kong`, `node`, not the string `nginx`' },
  { name: 'a misspelt saga style', text: HEAD + 'sagas:\n  checkout:\n    style: orchestraton\n    steps: [{ name: a, action: a.b }]\n', line: 5, column: 12, message: '`style` must be one of `orchestration`, `choreography`, not the string `orchestraton`; did you mean `orchestration`?' },
  { name: 'a missing saga style', text: HEAD + 'sagas:\n  checkout:\n    steps: [{ name: a, action: a.b }]\n', line: 4, column: 3, message: 'a saga needs `style`, one of `orchestration`, `choreography` (missing from `checkout`)' },
  { name: 'port 0', text: HEAD + 'services:\n  user:\n    port: 0\n', line: 5, column: 11, message: '`port` must be at least 1, not 0' },
  { name: 'port 70000', text: HEAD + 'services:\n  user:\n    port: 70000\n', line: 5, column: 11, message: '`port` must be at most 65535, not 70000' },
  { name: 'a duplicated publication', text: HEAD + 'services:\n  user:\n    publishes: [a.b, a.b]\n', line: 5, column: 22, message: '`publishes` lists the string `a.b` twice' },
  { name: 'both jwt secrets', text: HEAD + 'gateway:\n  auth:\n    jwt: { secretEnv: A, jwksUrl: "http://x" }\n', line: 5, column: 5, message: '`jwt`: give exactly one of `secretEnv` or `jwksUrl`' },
  // Patterns.
  { name: 'a duration in words', text: HEAD + 'defaults:\n  timeout: 5 seconds\n', line: 4, column: 12, message: 'write a duration such as `250ms`, `5s`, `1m` or `1h`' },
  { name: 'an http line without a slash', text: HEAD + 'services:\n  user:\n    operations:\n      getUser:\n        http: GET users\n', line: 7, column: 15, message: 'write a method and a path such as `GET /users/{id}`' },
  { name: 'a route path with a trailing slash', text: HEAD + 'gateway:\n  routes:\n    - path: /api/\n      service: a\n', line: 5, column: 13, message: 'write a path such as `/api/users` (no trailing slash, no parameters, no `.` or `..` segments)' },
  { name: 'a type string with spaces', text: HEAD + 'events:\n  order.created:\n    payload: { id: "not a type" }\n', line: 5, column: 20, message: 'write a type such as `string`, `integer?`, `Item[]`, `email` or `pending|done`' },
  { name: 'a status code that is not three digits', text: HEAD + 'services:\n  a:\n    operations:\n      getA:\n        http: GET /a\n        responses: { 99: empty }\n', line: 8, column: 22, message: '`99` is not a valid status code' },
  // Required keys.
  { name: 'an operation without http', text: HEAD + 'services:\n  user:\n    operations:\n      getUser:\n        responses: { 200: empty }\n', line: 6, column: 7, message: 'an operation needs `http` (missing from `getUser`)' },
  { name: 'an operation path with `..` segments', text: HEAD + 'services:\n  a:\n    operations:\n      get: { http: "GET /things/../../x/{id}" }\n', line: 6, column: 20, message: 'no `.` or `..` segments' },
  { name: 'a route path with a `.` segment', text: HEAD + 'gateway:\n  routes:\n    - { path: /api/./users, upstream: "http://legacy" }\n', line: 5, column: 15, message: 'no `.` or `..` segments' },
  { name: 'a route without service', text: HEAD + 'gateway:\n  routes:\n    - path: /a\n', line: 5, column: 7, message: 'item 1 of `routes`: give exactly one of `service` or `upstream`' },
  { name: 'the wrong format version', text: 'microgen: 2\nname: shop\n', line: 1, column: 11, message: '`microgen` must be `1`, not the integer `2`' },
  // Bad names.
  { name: 'a system name in PascalCase', text: 'microgen: 1\nname: Shop\n', line: 2, column: 7, message: '`name`: the string `Shop` is not allowed here: use kebab-case' },
  { name: 'a service name in camelCase', text: HEAD + 'services:\n  userService: {}\n', line: 4, column: 3, message: '`userService` is not a valid service name: use kebab-case' },
  { name: 'an event name without a dot', text: HEAD + 'events:\n  created: {}\n', line: 4, column: 3, message: '`created` is not a valid event name: use dotted lowercase segments' },
  { name: 'a schema name in camelCase', text: HEAD + 'schemas:\n  item: string\n', line: 4, column: 3, message: '`item` is not a valid schema name: use PascalCase' },
  { name: 'an operation name in kebab-case', text: HEAD + 'services:\n  user:\n    operations:\n      get-user: { http: GET /u }\n', line: 6, column: 7, message: '`get-user` is not a valid identifier: use a camelCase identifier' },
];

describe('schema', () => {
  it.each(CASES)('$name', ({ text, line, column, message }) => onlySchemaError(text, line, column, message));

  it('escapes control and bidi characters of the user text it quotes, so a message stays one line', () => {
    const value = lintText('spec.yaml', 'microgen: 1\nname: "a\\nb\\tc\\u202e"\n').diagnostics;
    expect(value.map((d) => d.message)).toEqual([expect.stringContaining('the string `a\\nb\\tc\\u202e` is not allowed here')]);
    const key = lintText('spec.yaml', 'microgen: 1\nname: x\n"a\\rb": 1\n').diagnostics;
    expect(key.map((d) => [d.line, d.column, d.message])).toEqual([[3, 1, expect.stringMatching(/^`a\\rb` is not a property of the spec/)]]);
  });

  it('shortens a long quoted value without cutting a character in half', () => {
    const [d] = lintText('spec.yaml', `microgen: 1\nname: "${'a'.repeat(39)}🚀🚀"\n`).diagnostics;
    expect(d.message).toContain(`the string \`${'a'.repeat(39)}🚀…\``);
  });

  it('reports a missing `microgen` and `name` at the top of an empty map', () => {
    const result = lintText('spec.yaml', '{}\n');
    expect(result.diagnostics.map((d) => [d.line, d.column, d.rule, d.message])).toEqual([
      [1, 1, 'schema', 'the spec needs `microgen`'],
      [1, 1, 'schema', 'the spec needs `name`'],
    ]);
  });

  it('reports every problem of a spec, each at its own place, in order', () => {
    const text = HEAD + 'services:\n  user:\n    port: "80"\n    databse: postgres\n    persistence: stat\n';
    expect(lintText('spec.yaml', text).diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [5, 11, 'schema'],
      [6, 5, 'schema'],
      [7, 18, 'schema'],
    ]);
  });
});

/**
 * Names end up as folder names (`services/<name>/`), TypeScript identifiers and object keys.
 * Each template puts the name, JSON-quoted, at a known line and column.
 */
const PLACES = {
  service: { template: (n: string) => `${HEAD}services:\n  ${n}: {}\n`, line: 4, column: 3, what: 'service name' },
  saga: { template: (n: string) => `${HEAD}sagas:\n  ${n}: { style: orchestration, steps: [{ name: a, action: a.b }] }\n`, line: 4, column: 3, what: 'saga name' },
  event: { template: (n: string) => `${HEAD}events:\n  ${n}: {}\n`, line: 4, column: 3, what: 'event name' },
  schema: { template: (n: string) => `${HEAD}schemas:\n  ${n}: string\n`, line: 4, column: 3, what: 'schema name' },
  operation: { template: (n: string) => `${HEAD}services:\n  user:\n    operations:\n      ${n}: { http: GET /a }\n`, line: 6, column: 7, what: 'identifier' },
  field: { template: (n: string) => `${HEAD}events:\n  a.b:\n    payload:\n      ${n}: string\n`, line: 6, column: 7, what: 'field name' },
} as const;

const UNSAFE: [keyof typeof PLACES, string][] = [
  ['service', '../x'],
  ['service', 'a/b'],
  ['service', '/etc/passwd'],
  ['service', '..'],
  ['service', 'a\\b'],
  ['service', 'con'],
  ['service', 'CON'],
  ['service', 'nul'],
  ['service', 'com1'],
  ['service', 'lpt9'],
  ['service', 'gateway'],
  ['service', 'system'],
  ['service', 'a'.repeat(41)],
  ['service', 'my service'],
  ['service', 'ünïcode'],
  ['service', 'ѕervice'], // Cyrillic ѕ, looks like an s
  ['service', 'a--b'],
  ['service', '-a'],
  ['service', ''],
  ['saga', '../x'],
  ['saga', 'a/b'],
  ['saga', 'con'],
  ['saga', 'b'.repeat(41)],
  ['saga', 'place order'],
  ['event', '../x.y'],
  ['event', 'con.created'],
  ['event', 'nul.x'],
  ['event', 'order/../x.y'],
  ['event', 'order.created '],
  ['event', 'Order.Created'],
  ['schema', 'Error'],
  ['schema', 'Promise'],
  ['schema', 'Record'],
  ['schema', 'Ünicode'],
  ['schema', '../X'],
  ['operation', 'constructor'],
  ['operation', 'toString'],
  ['operation', 'a-b'],
  ['operation', 'get user'],
  ['operation', '__proto__'],
  ['field', '__proto__'],
  ['field', 'constructor'],
  ['field', 'prototype'],
  ['field', 'a-b'],
  ['field', '1st'],
];

describe('unsafe names are refused by the schema at the key', () => {
  it.each(UNSAFE)('%s %j', (place, name) => {
    const p = PLACES[place];
    onlySchemaError(p.template(JSON.stringify(name)), p.line, p.column, `\`${name}\` is not a valid ${p.what}`);
  });

  it('accepts a name of exactly 40 characters', () => {
    expect(lintText('spec.yaml', PLACES.service.template('a'.repeat(40))).diagnostics.filter((d) => d.rule === 'schema')).toEqual([]);
  });

  it('accepts names that merely contain a reserved word', () => {
    for (const name of ['console', 'null-service', 'icon', 'com']) {
      expect(lintText('spec.yaml', PLACES.service.template(name)).diagnostics.filter((d) => d.rule === 'schema'), name).toEqual([]);
    }
    expect(lintText('spec.yaml', PLACES.event.template('console.created')).diagnostics.filter((d) => d.rule === 'schema')).toEqual([]);
  });

  it('says why a reserved name that follows the letter rules is refused', () => {
    const service = lintText('spec.yaml', PLACES.service.template('con')).diagnostics[0];
    expect(service.message).toContain('not a reserved device name such as `con`');
    const event = lintText('spec.yaml', PLACES.event.template('con.created')).diagnostics[0];
    expect(event.message).toContain('not starting with a reserved device name');
    const op = lintText('spec.yaml', PLACES.operation.template('constructor')).diagnostics[0];
    expect(op.message).toContain('not a reserved word such as `constructor`');
    const field = lintText('spec.yaml', PLACES.field.template('__proto__')).diagnostics[0];
    expect(field.message).toContain('not `__proto__`, `constructor` or `prototype`');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses {%s} as a path parameter', (name) => {
    const text = `${HEAD}services:\n  user:\n    operations:\n      getA: { http: "GET /a/{${name}}" }\n`;
    onlySchemaError(text, 6, 21, 'a `{param}` is an identifier other than `__proto__`, `constructor` or `prototype`');
  });

  it('refuses unsafe names in references too (calls, hosts, routes)', () => {
    const text = `${HEAD}services:\n  a:\n    calls:\n      "../b": {}\ngateway:\n  routes:\n    - path: /x\n      service: "../a"\n`;
    expect(lintText('spec.yaml', text).diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [6, 7, 'schema'],
      [10, 16, 'schema'],
    ]);
  });
});
