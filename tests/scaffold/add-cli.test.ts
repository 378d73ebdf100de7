/**
 * `microgen add` end to end, in-process: exit codes, the spec left untouched (bytes and
 * mtime) whenever the result would be invalid, regeneration, and the prompt path.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setPrompter, type Answers, type PromptContext } from '../../src/cli/prompts.js';
import { runCli } from '../helpers/io.js';
import { expectOnlyAdded, projectWith, untouched } from './helpers.js';

afterEach(() => setPrompter());

describe('invalid results leave the spec untouched (exit 1)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an operation whose method and path clash with another', ['add', 'operation', 'user', 'fetchUser', '--http', 'GET /users/{id}'], /error operation-conflict: /],
    ['a route to an undeclared service', ['add', 'route', '/api/pay', '--service', 'payment'], /error unknown-service: route \/api\/pay names service "payment"/],
    ['a service on a port already used', ['add', 'service', 'billing', '--port', '8001'], /error duplicate-port: service billing uses port 8001/],
    ['a service on the gateway port', ['add', 'service', 'billing', '--port', '8000'], /error duplicate-port: .*the gateway/],
    ['an operation body naming an unknown schema', ['add', 'operation', 'user', 'renameUser', '--http', 'PUT /users/{id}', '--body', 'Rename'], /error unknown-schema: /],
    ['an existing service', ['add', 'service', 'order'], /service "order" already exists/],
    ['an existing event', ['add', 'event', 'user.registered', '--field', 'a:string'], /event "user.registered" already exists/],
    ['an existing operation', ['add', 'operation', 'user', 'getUser', '--http', 'GET /people'], /operation "getUser" already exists in service "user"/],
    ['an operation of an undeclared service', ['add', 'operation', 'usr', 'x', '--http', 'GET /x'], /service "usr" is not declared \(did you mean "user"\?\)/],
    ['an existing route path', ['add', 'route', '/api/users', '--service', 'user'], /a route for \/api\/users already exists/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const { dir, spec } = projectWith('odd.yaml');
      const file = untouched(spec);
      const r = await runCli([...argv, '--no-generate'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/was not changed/);
      file.check();
    });
  }
});

describe('bad names are usage errors (exit 2), the spec untouched', () => {
  const cases: Array<[string[], RegExp]> = [
    [['add', 'service', '../x'], /service name "\.\.\/x" is not valid: use kebab-case/],
    [['add', 'service', 'con'], /`con` is reserved/],
    [['add', 'service', 'Billing'], /service name "Billing" is not valid/],
    [['add', 'event', '../../etc.passwd', '--field', 'a:string'], /event name "\.\.\/\.\.\/etc\.passwd" is not valid/],
    [['add', 'event', 'order.paid', '--field', '__proto__:string'], /field name "__proto__" is not valid: `__proto__` is reserved/],
    [['add', 'event', 'order.paid', '--field', 'amount'], /--field "amount" must look like name:type/],
    [['add', 'operation', 'user', 'get-user', '--http', 'GET /x'], /operation name "get-user" is not valid: use a camelCase identifier/],
    [['add', 'operation', 'user', 'listUsers', '--http', 'FETCH /users'], /--http value "FETCH \/users" is not valid/],
    [['add', 'operation', 'user', 'listUsers', '--http', 'GET /users', '--response', 'ok:User'], /--response "ok:User" must look like STATUS:TYPE/],
    [['add', 'route', '../api', '--service', 'user'], /path "\.\.\/api" is not valid/],
    [['add', 'route', '/api/x', '--service', 'user', '--auth', 'basic'], /auth "basic" is not valid: use one of jwt, none/],
    [['add', 'service', 'billing', '--port', '99999'], /--port "99999" must be a number from 1 to 65535/],
    [['add', 'service', 'billing', '--db', 'mysql'], /database "mysql" is not valid/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const { dir, spec } = projectWith('odd.yaml');
      const file = untouched(spec);
      const r = await runCli([...argv, '--no-generate'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      file.check();
    });
  }
});

describe('a spec that is already broken is not edited (exit 1, diagnostics)', () => {
  it('YAML errors', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}\nservices:\n  again: {}\n`);
    const file = untouched(spec);
    const r = await runCli(['add', 'service', 'billing'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/microgen\.yaml:\d+:\d+: error yaml-syntax: duplicate key/);
    expect(r.stderr).toMatch(/fix them before adding to it \(the spec was not changed\)/);
    file.check();
  });

  it('lint errors', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('service: order', 'service: orders'));
    const file = untouched(spec);
    const r = await runCli(['add', 'event', 'x.y', '--field', 'a:string'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error unknown-service: route \/api\/orders names service "orders"/);
    file.check();
  });

  it('a missing spec is a usage error', async () => {
    const { dir } = projectWith('odd.yaml');
    const r = await runCli(['add', 'service', 'billing', '--spec', 'nope.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read nope\.yaml/);
  });
});

describe('missing arguments off a terminal: a usage error naming them, never a prompt', () => {
  const cases: Array<[string[], RegExp]> = [
    [['add', 'service'], /missing the service NAME .*for example: microgen add service billing/],
    [['add', 'event', 'order.paid'], /missing at least one --field name:type .*for example: microgen add event order\.shipped --field orderId:string/],
    [['add', 'operation'], /missing the SERVICE and the operation NAME and --http "METHOD \/path"/],
    [['add', 'operation', 'user', 'listUsers'], /missing --http "METHOD \/path" .*for example: microgen add operation order getOrder --http "GET \/orders\/\{id\}"/],
    [['add', 'route', '/api/x'], /missing --service .*for example: microgen add route \/api\/orders --service order/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const { dir, spec } = projectWith('odd.yaml');
      const file = untouched(spec);
      setPrompter(() => {
        throw new Error('prompted off a terminal');
      });
      const r = await runCli(argv, dir, { isTTY: false });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      file.check();
    });
  }
});

describe('successful edits', () => {
  it('add service writes the spec and regenerates (the new service has its entry point)', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    const before = readFileSync(spec, 'utf8');
    const r = await runCli(['add', 'service', 'billing', '--port', '8010', '--db', 'postgres'], dir);
    expect(r.stderr).not.toMatch(/: error |^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ added service billing \(port 8010\) to microgen\.yaml/);
    const after = readFileSync(spec, 'utf8');
    expectOnlyAdded(before, after, '        # a stray comment under order', ['', '    billing:', '        port: 8010', '        database: postgres']);
    expect(existsSync(join(dir, 'services/billing/src/main.ts'))).toBe(true);
    expect(existsSync(join(dir, '.microgen/manifest.json'))).toBe(true);
    // No temporary file is left next to the spec.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('add operation, then event, then route: each regenerates; the operation has its handler stub', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    expect((await runCli(['add', 'operation', 'user', 'listUsers', '--http', 'GET /users', '--response', '200:User[]'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'services/user/src/handlers/operations.ts'), 'utf8')).toMatch(/listUsers/);
    expect((await runCli(['add', 'event', 'user.deleted', '--field', 'userId:integer', '--event-version', '2'], dir)).code).toBe(0);
    expect(readFileSync(spec, 'utf8')).toContain('    user.deleted:\n        version: 2\n        payload: { userId: integer }\n');
    const r = await runCli(['add', 'route', '/api/people', '--service', 'user', '--strip-path', '--upstream-path', '/users', '--auth', 'none'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(spec, 'utf8')).toContain('    -   path: /api/people\n        service: user\n        stripPath: true\n        upstreamPath: /users\n        auth: none\n');
  });

  it('an operation without --response is valid and generates', async () => {
    const { dir } = projectWith('odd.yaml');
    const r = await runCli(['add', 'operation', 'user', 'ping', '--http', 'HEAD /ping'], dir);
    expect(r.stderr).not.toMatch(/: error |^error/m);
    expect(r.code).toBe(0);
  });

  it('--no-generate only edits; --spec may name the folder; new warnings are shown', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    const r = await runCli(['add', 'event', 'order.paid', '--field', 'orderId:integer,amount:number', '--spec', '.', '--no-generate'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning unused-event: event order\.paid/);
    expect(r.stderr).not.toMatch(/event user\.registered/);
    expect(readFileSync(spec, 'utf8')).toContain('    order.paid:\n        payload: { orderId: integer, amount: number }\n');
    expect(existsSync(join(dir, 'services'))).toBe(false);
  });

  it('keeps a byte-order mark', async () => {
    const { dir, spec } = projectWith('bare.yaml');
    writeFileSync(spec, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(spec)]));
    expect((await runCli(['add', 'service', 'api', '--no-generate'], dir)).code).toBe(0);
    expect([...readFileSync(spec).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('prompts on a terminal (the prompter replaced; the real one is tested through a pseudo-terminal)', () => {
  it('asks for what is missing and applies the answers through the flag path', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    const calls: Array<[string, Answers, PromptContext]> = [];
    setPrompter(async (generator, given, ctx) => {
      calls.push([generator, given, ctx]);
      return { ...given, name: 'billing', port: '8011', db: 'redis' };
    });
    const r = await runCli(['add', 'service', '--no-generate'], dir, { isTTY: true });
    expect(r.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe('service');
    expect(calls[0][2].services).toEqual(['user', 'order']);
    expect(calls[0][2].nextPort).toBe(8003);
    expect(readFileSync(spec, 'utf8')).toContain('    billing:\n        port: 8011\n        database: redis\n');
  });

  it('passes the flags that were given, so their prompts are skipped', async () => {
    const { dir } = projectWith('odd.yaml');
    let given: Answers = {};
    setPrompter(async (_g, g) => {
      given = g;
      return { ...g, name: 'getThing' };
    });
    const r = await runCli(['add', 'operation', 'user', '--http', 'GET /things', '--no-generate'], dir, { isTTY: true });
    expect(r.code).toBe(0);
    expect(given).toMatchObject({ service: 'user', http: 'GET /things' });
  });

  it('answers are validated like flags', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    const file = untouched(spec);
    setPrompter(async (_g, given) => ({ ...given, name: 'Not_Kebab' }));
    const r = await runCli(['add', 'service'], dir, { isTTY: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/service name "Not_Kebab" is not valid/);
    file.check();
  });

  it('nothing is asked when every required argument is given', async () => {
    const { dir } = projectWith('odd.yaml');
    setPrompter(() => {
      throw new Error('should not prompt');
    });
    expect((await runCli(['add', 'service', 'billing', '--no-generate'], dir, { isTTY: true })).code).toBe(0);
  });
});

describe('help', () => {
  for (const argv of [['add', '--help'], ['add', 'service', '--help'], ['add', 'event', '--help'], ['add', 'operation', '--help'], ['add', 'route', '--help'], ['init', '--help']]) {
    it(argv.join(' '), async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n {2}\$ microgen /);
    });
  }
});
