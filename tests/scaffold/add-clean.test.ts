/**
 * `add` without warnings by default (issue 11): each variant, run on the examples with only the
 * flags it needs, leaves a spec that lints with no error and no warning; the defaults it picks
 * (a port, a GET's response, a route's upstream path, who publishes and subscribes) are written
 * into the spec and named in its one line of output. Every `add` takes the spec like the other
 * commands: the last argument or --spec, a file or a folder, ./microgen.yaml by default.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setPrompter, type Answers } from '../../src/cli/prompts.js';
import { lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';
import { show } from '../lint/helpers.js';
import { untouched } from './helpers.js';

afterEach(() => setPrompter());

function example(name: 'shop' | 'minimal'): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'microgen-add-clean-'));
  cpSync(join('examples', name, 'microgen.yaml'), join(dir, 'microgen.yaml'));
  return { dir, spec: join(dir, 'microgen.yaml') };
}

const diagnosticsOf = (spec: string): string[] => lintText('microgen.yaml', readFileSync(spec, 'utf8')).diagnostics.map(show);

interface Case {
  example: 'shop' | 'minimal';
  argv: string[];
  /** What the spec must now contain (the defaults chosen). */
  contains: string[];
  said: RegExp;
}

const CASES: Case[] = [
  { example: 'shop', argv: ['add', 'service', 'billing'], contains: ['  billing:\n    port: 8007\n    database: none\n'], said: /added service billing \(port 8007\)/ },
  { example: 'minimal', argv: ['add', 'service', 'audit', '--db', 'postgres'], contains: ['  audit:\n    port: 8002\n    database: postgres\n'], said: /\(port 8002\)/ },
  {
    example: 'shop',
    argv: ['add', 'operation', 'user', 'listUsers', '--http', 'GET /users'],
    contains: ['      listUsers:\n        http: GET /users\n        responses: { 200: "User[]" }\n'],
    said: /operation user\.listUsers \(GET \/users → 200: User\[\]\)/,
  },
  {
    example: 'shop',
    argv: ['add', 'operation', 'product', 'getReview', '--http', 'GET /products/{id}/reviews/{reviewId}'],
    contains: ['      Review: { reviewId: string }\n', '      getReview:\n        http: GET /products/{id}/reviews/{reviewId}\n        responses: { 200: Review }\n'],
    said: /→ 200: Review\)/,
  },
  {
    example: 'minimal',
    argv: ['add', 'operation', 'greeter', 'listGreetings', '--http', 'GET /greetings'],
    contains: ['    schemas:\n      Greeting: { id: string }\n', '        responses: { 200: "Greeting[]" }\n'],
    said: /→ 200: Greeting\[\]/,
  },
  { example: 'shop', argv: ['add', 'operation', 'order', 'archiveOrder', '--http', 'POST /orders/{id}/archive'], contains: ['      archiveOrder:\n        http: POST /orders/{id}/archive\n'], said: /archiveOrder \(POST/ },
  {
    example: 'shop',
    argv: ['add', 'route', '/api/catalog', '--service', 'product'],
    contains: ['    - path: /api/catalog\n      service: product\n      stripPath: true\n      upstreamPath: /products\n'],
    said: /route \/api\/catalog → product \(forwarded as \/products\/…\)/,
  },
  { example: 'shop', argv: ['add', 'route', '/orders', '--service', 'order'], contains: ['    - path: /orders\n      service: order\n'], said: /route \/orders → order to / },
  {
    example: 'shop',
    argv: ['add', 'event', 'product.discontinued', '--field', 'productId:string', '--publisher', 'product', '--subscriber', 'order', '--subscriber', 'inventory'],
    contains: ['    publishes: [ product.discontinued ]\n', '      - event: payment.*\n      - event: product.discontinued\n', '    publishes: [inventory.shipped, inventory.failed]\n    subscribes:\n      - event: product.discontinued\n', '  product.discontinued:\n    payload: { productId: string }\n'],
    said: /event product\.discontinued \(published by product, subscribed by order, subscribed by inventory\)/,
  },
  {
    example: 'minimal',
    argv: ['add', 'event', 'greeting.read', '--field', 'name:string', '--publisher', 'greeter', '--subscriber', 'greeter'],
    contains: ['    publishes: [greeting.sent, greeting.read]\n', '        handler: onGreetingSent\n      - event: greeting.read\n'],
    said: /greeting\.read/,
  },
];

describe('each add variant on the examples lints clean, with the defaults it picked written out', () => {
  for (const c of CASES) {
    it(`${c.example}: ${c.argv.slice(1).join(' ')}`, async () => {
      const { dir, spec } = example(c.example);
      expect(diagnosticsOf(spec)).toEqual([]);
      const r = await runCli([...c.argv, '--no-generate'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(c.said);
      const text = readFileSync(spec, 'utf8');
      for (const part of c.contains) expect(text).toContain(part);
      expect(diagnosticsOf(spec)).toEqual([]);
    });
  }

  it('an event without publisher or subscriber still warns (and says how to avoid it in --help)', async () => {
    const { dir } = example('minimal');
    const r = await runCli(['add', 'event', 'greeting.lost', '--field', 'name:string', '--no-generate'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning unused-event/);
    expect((await runCli(['add', 'event', '--help'])).stdout).toMatch(/--publisher <service>[\s\S]*--subscriber <service>/);
  });

  it('--publisher naming an undeclared service is refused, the spec untouched', async () => {
    const { dir, spec } = example('shop');
    const kept = untouched(spec);
    const r = await runCli(['add', 'event', 'product.gone', '--field', 'id:string', '--publisher', 'prodct', '--no-generate'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/service "prodct" is not declared \(did you mean "product"\?\)/);
    kept.check();
  });

  it('a route with --strip-path or --upstream-path is written as given', async () => {
    const { dir, spec } = example('shop');
    expect((await runCli(['add', 'route', '/api/v2/products', '--service', 'product', '--strip-path', '--no-generate'], dir)).code).toBe(0);
    expect(readFileSync(spec, 'utf8')).toContain('    - path: /api/v2/products\n      service: product\n      stripPath: true\n');
    expect(diagnosticsOf(spec)).toEqual([]);
  });
});

describe('the spec is taken like the other commands take it', () => {
  it('as the last argument (a file or a folder), or with --spec; both at once must agree', async () => {
    const { dir, spec } = example('shop');
    const parent = join(dir, '..');
    const rel = (p: string) => join(dir.slice(parent.length + 1), p);
    expect((await runCli(['add', 'service', 'billing', rel('microgen.yaml'), '--no-generate'], parent)).code).toBe(0);
    expect((await runCli(['add', 'event', 'billing.done', rel(''), '--field', 'id:string', '--publisher', 'billing', '--subscriber', 'order', '--no-generate'], parent)).code).toBe(0);
    expect((await runCli(['add', 'operation', 'billing', 'charge', rel('microgen.yaml'), '--http', 'POST /charges', '--no-generate'], parent)).code).toBe(0);
    expect((await runCli(['add', 'route', '/api/charges', rel(''), '--service', 'billing', '--no-generate'], parent)).code).toBe(0);
    expect((await runCli(['add', 'service', 'ledger', '--spec', rel(''), '--no-generate'], parent)).code).toBe(0);
    const text = readFileSync(spec, 'utf8');
    for (const part of ['  billing:\n', '  billing.done:\n', '      charge:\n', '    - path: /api/charges\n', '  ledger:\n']) expect(text).toContain(part);
    expect(diagnosticsOf(spec)).toEqual([]);
    const kept = untouched(spec);
    const twice = await runCli(['add', 'service', 'x', rel('microgen.yaml'), '--spec', 'other.yaml', '--no-generate'], parent);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/the spec is given twice/);
    kept.check();
  });

  it('every add subcommand documents the spec argument with an example', async () => {
    for (const kind of ['service', 'event', 'operation', 'route']) {
      const r = await runCli(['add', kind, '--help']);
      expect(r.stdout).toMatch(/\[spec\]/);
      expect(r.stdout).toMatch(/Examples:\n {2}\$ microgen add /);
      expect(r.stdout).toMatch(/last argument or with --spec/);
    }
  });
});

describe('on a terminal, a GET without --response asks for it', () => {
  it('the prompt is shown (body skipped); an empty answer takes the response named after the resource', async () => {
    const { dir, spec } = example('shop');
    const asked: Array<[string, Answers]> = [];
    setPrompter(async (generator, given) => {
      asked.push([generator, given]);
      return { ...given, responses: '' };
    });
    const r = await runCli(['add', 'operation', 'product', 'listProductsByTag', '--http', 'GET /products/tags/{tag}', '--no-generate'], dir, { isTTY: true });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0][0]).toBe('operation');
    expect(asked[0][1]).toMatchObject({ service: 'product', name: 'listProductsByTag', body: '' });
    expect(asked[0][1].responses).toBeUndefined();
    expect(readFileSync(spec, 'utf8')).toContain('        responses: { 200: Tag }\n');
    expect(diagnosticsOf(spec)).toEqual([]);
  });

  it('an answer is used as given', async () => {
    const { dir, spec } = example('shop');
    setPrompter(async (_g, given) => ({ ...given, responses: '200:Product[]' }));
    expect((await runCli(['add', 'operation', 'product', 'search', '--http', 'GET /search', '--no-generate'], dir, { isTTY: true })).code).toBe(0);
    expect(readFileSync(spec, 'utf8')).toContain('      search:\n        http: GET /search\n        responses: { 200: "Product[]" }\n');
  });

  it('off a terminal nothing is asked', async () => {
    const { dir } = example('shop');
    setPrompter(() => {
      throw new Error('prompted off a terminal');
    });
    expect((await runCli(['add', 'operation', 'product', 'search', '--http', 'GET /search', '--no-generate'], dir)).code).toBe(0);
  });
});

describe('the resource a GET names', () => {
  const cases: Array<[string, string]> = [
    ['GET /categories', '200: "Category[]"'],
    ['GET /addresses/{addressId}', '200: Address'],
    ['GET /status', '200: Status'],
    ['GET /events', '200: "EventItem[]"'],
    ['GET /{id}', '200: Thing'],
  ];
  for (const [http, response] of cases) {
    it(`${http} → ${response}`, async () => {
      const { dir, spec } = example('minimal');
      const r = await runCli(['add', 'operation', 'greeter', 'getThing', '--http', http, '--no-generate'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(spec, 'utf8')).toContain(`responses: { ${response} }`);
      expect(diagnosticsOf(spec)).toEqual([]);
    });
  }
});
