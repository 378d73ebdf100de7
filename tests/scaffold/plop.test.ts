/**
 * generators/plopfile.js: its prompts follow the same name rules as the flags and lint
 * (both read schema/microgen.schema.json), and node-plop runs it the way `microgen add` does.
 */
import nodePlop, { type PlopCfg } from 'node-plop';
import { describe, expect, it } from 'vitest';
import { PLOPFILE, type PromptContext } from '../../src/cli/prompts.js';
import { checkName, type RuleKind } from '../../src/edit/rules.js';

// A plain JavaScript module without types.
const plopfilePath: string = '../../generators/plopfile.js';
const { rules } = (await import(plopfilePath)) as { rules: Record<string, (v: string) => true | string> };

const SAMPLES: Record<string, string[]> = {
  service: ['user', 'order-history', 'a1', 'User', '../x', 'con', 'com1', 'gateway', 'system', 'a--b', '-a', 'a'.repeat(41), 'a'.repeat(40), ''],
  event: ['order.created', 'order', 'Order.created', 'a.b.c', 'a..b', '../etc.passwd', 'order.*'],
  operation: ['getUser', 'GetUser', 'get_user', 'constructor', 'x'],
  field: ['id', '_x', '__proto__', '1a', 'a-b'],
  type: ['string', 'integer?', 'Item[]', 'a|b|c', 'a b', 'map<string>'],
  path: ['/', '/api/users', '/api/users/', 'api', '/a/{id}', '/../x'],
  http: ['GET /users/{id}', 'get /users', 'FETCH /x', 'POST /', 'GET users'],
  status: ['200', '99', '600', 'ok'],
  system: ['shop', 'my-shop-2', 'Shop', 'nul'],
};

const PLOP_RULE: Record<string, string> = { service: 'service', event: 'event', operation: 'operation', field: 'field', type: 'type', path: 'path', http: 'http', status: 'status', system: 'system' };

describe('the prompts and the flags share the schema’s name rules', () => {
  for (const [kind, samples] of Object.entries(SAMPLES)) {
    it(kind, () => {
      for (const s of samples) {
        const flagOk = checkName(kind as RuleKind, s) === undefined;
        const promptOk = rules[PLOP_RULE[kind]](s) === true;
        expect(promptOk, `${kind} ${JSON.stringify(s)}`).toBe(flagOk);
      }
    });
  }
});

const ctx: PromptContext = { services: ['user', 'order'], events: ['user.registered'], operations: { user: [{ name: 'getUser', http: 'GET /users/{id}' }] }, routes: ['/api/users'], nextPort: 8003, gatewayAuth: false };

async function load() {
  return nodePlop(PLOPFILE, { destBasePath: process.cwd(), force: false, microgen: ctx } as PlopCfg);
}

describe('node-plop runs the plopfile', () => {
  it('defines the generators `microgen add` and `init` use, with prompts named like the flags', async () => {
    const plop = await load();
    const names = (g: string) => (plop.getGenerator(g).prompts as Array<{ name: string }>).map((p) => p.name);
    expect(names('service')).toEqual(['name', 'port', 'db']);
    expect(names('event')).toEqual(['name', 'fields', 'publishers', 'subscribers']);
    expect(names('operation')).toEqual(['service', 'name', 'http', 'body', 'responses']);
    expect(names('route')).toEqual(['path', 'service', 'stripPath', 'upstreamPath', 'auth']);
    expect(names('init')).toEqual(['name', 'example']);
  });

  it('answers given up front bypass their prompts (validated by the same rules); nothing is asked', async () => {
    const plop = await load();
    const answers = await plop.getGenerator('service').runPrompts(['billing', '8010', 'redis']);
    expect(answers).toMatchObject({ name: 'billing', port: '8010', db: 'redis' });
    const route = await plop.getGenerator('route').runPrompts(['/api/orders', 'order', 'yes', '/orders', 'none']);
    expect(route).toMatchObject({ path: '/api/orders', service: 'order', stripPath: true, upstreamPath: '/orders', auth: 'none' });
  });

  it('a bypassed answer that breaks a rule, or names an existing thing, is refused with the rule’s words', async () => {
    const plop = await load();
    await expect(plop.getGenerator('service').runPrompts(['../x', '8010', 'none'])).rejects.toThrow(/service name "\.\.\/x" is not valid: use kebab-case/);
    await expect(plop.getGenerator('service').runPrompts(['user', '8010', 'none'])).rejects.toThrow(/service "user" already exists/);
    await expect(plop.getGenerator('event').runPrompts(['order.paid', 'amount'])).rejects.toThrow(/must look like name:type/);
    await expect(plop.getGenerator('event').runPrompts(['order.paid', 'amount:number', 'ordr', ''])).rejects.toThrow(/service "ordr" is not declared/);
    await expect(plop.getGenerator('operation').runPrompts(['user', 'fetch', 'GET /users/{id}', '', '200:User'])).rejects.toThrow(/already operation "getUser"/);
  });
});
