/** OpenAPI 3.1 per service: validated by @readme/openapi-parser, refs resolve, content is right. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { openApiDocument, openApiDocuments } from '../../src/export/openapi.js';
import { lintFile, lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';
import { assertRefsResolve } from './refs.js';

const shop = lintFile('examples/shop/microgen.yaml').model!;
const SERVICES = ['user', 'product', 'order', 'inventory', 'payment', 'notification'];

type Doc = Record<string, any>;
const doc = (service: string): Doc => openApiDocument(shop, service) as Doc;

describe.each(SERVICES)('the %s service of the shop', (service) => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const d = doc(service);
    expect(d.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(d) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('every $ref resolves and every path parameter is declared', () => {
    const d = doc(service);
    assertRefsResolve(d);
    for (const [path, item] of Object.entries(d.paths as Record<string, Record<string, Doc>>)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const declared = (op.parameters ?? []).filter((p: Doc) => p.in === 'path').map((p: Doc) => p.name);
        expect(declared, `${path} ${op.operationId}`).toEqual(inPath);
      }
    }
  });

  it('has one operation per spec operation, named by operationId', () => {
    const d = doc(service);
    const ids = Object.values(d.paths as Record<string, Record<string, Doc>>).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.sort()).toEqual(shop.services.find((s) => s.name === service)!.operations.map((o) => o.name).sort());
  });

  it('is deterministic', () => {
    expect(JSON.stringify(doc(service))).toBe(JSON.stringify(doc(service)));
  });
});

describe('content', () => {
  it('user: typed path parameter, request body, responses by status, the Error schema', () => {
    const d = doc('user');
    const getUser = d.paths['/users/{id}'].get;
    expect(getUser.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }]);
    expect(getUser.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/User' });
    expect(getUser.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    // An integer parameter can be invalid: the generated service answers 400 with the Error shape.
    expect(getUser.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    const createUser = d.paths['/users'].post;
    expect(createUser.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewUser' } } } });
    expect(Object.keys(createUser.responses)).toEqual(['201', '400', '409']);
    expect(d.components.schemas.Error).toEqual({
      type: 'object',
      properties: { error: { type: 'string' }, message: { type: 'string' } },
      required: ['error', 'message'],
    });
    expect(d.components.schemas.User).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string', format: 'email' } },
      required: ['id', 'name', 'email'],
    });
    expect(Object.keys(d.components.schemas)).toEqual(['Error', 'NewUser', 'User']);
    expect(d.servers).toEqual([{ url: 'http://localhost:8001', description: 'user on this machine' }]);
  });

  it('order: shared schemas it uses are included (transitively), others are not', () => {
    const d = doc('order');
    expect(Object.keys(d.components.schemas)).toEqual(['Error', 'Item', 'Money', 'NewOrder', 'Order']);
    expect(d.components.schemas.Money).toEqual({ type: 'number' });
    expect(d.components.schemas.Order.properties.status).toEqual({ type: 'string', enum: ['pending', 'completed', 'cancelled'] });
    expect(d.components.schemas.Order.properties.items).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Item' } });
  });

  it('order: `empty` responses have no content; a plain string id needs no 400', () => {
    const cancel = doc('order').paths['/orders/{id}'].delete;
    expect(cancel.responses['204']).toEqual({ description: 'No Content' });
    expect(Object.keys(cancel.responses)).toEqual(['204', '404']);
  });

  it('product: optional query fields are parameters that are not required', () => {
    const list = doc('product').paths['/products'].get;
    expect(list.parameters).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(list.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Product' } });
  });

  it('inventory: an inline body is an inline object schema', () => {
    const reserve = doc('inventory').paths['/reservations'].post;
    expect(reserve.requestBody.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { orderId: { type: 'string' }, items: { type: 'array', items: { $ref: '#/components/schemas/Item' } } },
      required: ['orderId', 'items'],
    });
  });

  it('paths are sorted', () => {
    expect(Object.keys(doc('order').paths)).toEqual(['/orders', '/orders/{id}']);
  });

  it('constraints and descriptions of object-form fields are carried over; a shadowed shared schema is renamed', async () => {
    const spec = `microgen: 1
name: lib
schemas:
  Tag: string
  Book:
    title: { type: string, minLength: 1, maxLength: 200, description: 'The "title"' }
    tags: Tag[]
services:
  catalog:
    schemas:
      Tag:
        label: string
    operations:
      getBook:
        http: GET /books/{isbn}
        params: { isbn: { type: string, pattern: '^[0-9]{13}$' } }
        query: { page: { type: integer, minimum: 1, default: 1, optional: true } }
        responses: { 200: Book, 404: Error }
      getTag:
        http: GET /tags/{id}
        responses: { 200: Tag }
`;
    const result = lintText('lib.yaml', spec);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const d = openApiDocument(result.model!, 'catalog') as Doc;
    expect(d.components.schemas.Book.properties.title).toEqual({ type: 'string', description: 'The "title"', minLength: 1, maxLength: 200 });
    // Book is shared: its Tag is the shared alias, which the service's own Tag shadows.
    expect(d.components.schemas.Book.properties.tags).toEqual({ type: 'array', items: { $ref: '#/components/schemas/shared.Tag' } });
    expect(d.components.schemas['shared.Tag']).toEqual({ type: 'string' });
    expect(d.components.schemas.Tag).toEqual({ type: 'object', properties: { label: { type: 'string' } }, required: ['label'] });
    const getBook = d.paths['/books/{isbn}'].get;
    expect(getBook.parameters).toEqual([
      { name: 'isbn', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{13}$' } },
      { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
    ]);
    assertRefsResolve(d);
    const valid = await validate(structuredClone(d) as never);
    expect(valid.errors ?? []).toEqual([]);
  });
});

describe('microgen export openapi', () => {
  it('--service prints one YAML document', async () => {
    const run = await runCli(['export', 'openapi', 'examples/shop', '--service', 'user']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(doc('user'))));
    expect(run.stdout).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
  });

  it('--json prints JSON', async () => {
    const run = await runCli(['export', 'openapi', 'examples/shop', '--service', 'payment', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(doc('payment'))));
  });

  it('without --service or --out: every service as a multi-document YAML stream, in name order', async () => {
    const run = await runCli(['export', 'openapi', 'examples/shop']);
    expect(run.code).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.info.title)).toEqual(['shop inventory', 'shop notification', 'shop order', 'shop payment', 'shop product', 'shop user']);
    expect(docs).toEqual(openApiDocuments(shop).map(([, d]) => JSON.parse(JSON.stringify(d))));
  });

  it('--json without --service or --out is a usage error', async () => {
    const run = await runCli(['export', 'openapi', 'examples/shop', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--json prints one document');
  });

  it('--out DIR writes one file per service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-export-'));
    const run = await runCli(['export', 'openapi', join(process.cwd(), 'examples/shop'), '--out', 'api'], dir);
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'api')).sort()).toEqual(SERVICES.map((s) => `${s}.openapi.yaml`).sort());
    expect(run.stdout).toContain('wrote api/user.openapi.yaml\n');
    expect(parse(readFileSync(join(dir, 'api/order.openapi.yaml'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(doc('order'))));
  });

  it('an unknown service is a usage error with a suggestion', async () => {
    const run = await runCli(['export', 'openapi', 'examples/shop', '--service', 'users']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the spec has no service named "users" (did you mean "user"?)');
  });

  it('an unknown kind is a usage error', async () => {
    const run = await runCli(['export', 'swagger', 'examples/shop']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'swagger' is invalid for argument 'kind'. Allowed choices are openapi, asyncapi.");
  });

  it('a spec with lint errors is not exported (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-export-'));
    const broken = readFileSync('examples/minimal/microgen.yaml', 'utf8').replace('body: { name: string }', 'body: { name: Strin }');
    writeFileSync(join(dir, 'microgen.yaml'), broken);
    const run = await runCli(['export', 'openapi'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown-schema');
    expect(run.stdout).toBe('');
  });
});
