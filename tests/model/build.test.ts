/**
 * Raw spec → SystemModel: ports, call defaults, types of fields and operations, and the
 * subscriptions and publications a choreographed saga implies (checked on examples/shop).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from '../../src/model/build.js';
import type { Service, SystemModel } from '../../src/model/types.js';
import { lintText } from '../../src/lint.js';
import { ROOT, show } from '../lint/helpers.js';

/** The model of a spec the schema accepts (semantic findings are allowed; schema errors are not). */
function model(text: string): SystemModel {
  const result = lintText('spec.yaml', text);
  expect(result.diagnostics.filter((d) => d.rule === 'schema' || d.rule === 'yaml-syntax').map(show)).toEqual([]);
  return result.model!;
}

const service = (m: SystemModel, name: string): Service => m.services.find((s) => s.name === name)!;
const HEAD = 'microgen: 1\nname: sys\n';

describe('ports', () => {
  it('keeps declared ports; a service without one gets the port of its place (8001 + position)', () => {
    const m = model(`${HEAD}services:\n  a: {}\n  b: { port: 8002 }\n  c: {}\n  d: { port: 9000 }\n  e: {}\n`);
    expect(m.services.map((s) => [s.name, s.port, s.portDeclared])).toEqual([
      ['a', 8001, false],
      ['b', 8002, true],
      ['c', 8003, false],
      ['d', 9000, true],
      ['e', 8005, false],
    ]);
  });

  it("skips the gateway's port, default or declared", () => {
    const declared = model(`${HEAD}services:\n  a: {}\n  b: {}\ngateway:\n  port: 8001\n`);
    expect(declared.services.map((s) => s.port)).toEqual([8002, 8003]);
    expect(declared.gateway.port).toBe(8001);
    const byDefault = model(`${HEAD}services:\n  a: {}\n`);
    expect(byDefault.gateway.port).toBe(8000);
    expect(byDefault.services[0].port).toBe(8001);
  });

  it('a declared port never moves another service; only a change of place does (generate warns about it)', () => {
    const before = model(`${HEAD}services:\n  a: {}\n  b: {}\n  c: {}\n`).services.map((s) => s.port);
    for (const at of [0, 1, 2, 3]) {
      const names = ['a', 'b', 'c'].map((n) => `  ${n}: {}\n`);
      names.splice(at, 0, '  x: { port: 9100 }\n');
      const m = model(`${HEAD}services:\n${names.join('')}`);
      // At the end (where `add` puts it) nothing moves; in the middle, only the services after it, whose place changed.
      const moved = m.services.filter((s) => s.name !== 'x' && s.port !== before[['a', 'b', 'c'].indexOf(s.name)]);
      expect(moved.map((s) => s.name)).toEqual(['a', 'b', 'c'].slice(at));
    }
  });
});

describe('call policies', () => {
  const DEFAULTS = `defaults:\n  timeout: 2s\n  retry: { attempts: 5, backoff: fixed, min: 100ms, max: 1s }\n  breaker: { failMax: 3, resetTimeout: 1m }\n`;
  const SERVICES = `services:
  a:
    calls:
      b: {}
      c:
        timeout: 250ms
        retry: { attempts: 1 }
        breaker: { resetTimeout: 5s }
      d:
  b:
    operations:
      getB: { http: GET /b }
      listB: { http: GET /bs }
  c: {}
  d: {}
`;

  it('push the spec defaults into each call, field by field under its own settings', () => {
    const a = service(model(HEAD + DEFAULTS + SERVICES), 'a');
    const [b, c, d] = a.calls;
    expect(b).toMatchObject({ service: 'b', timeoutMs: 2000, retry: { attempts: 5, backoff: 'fixed', minMs: 100, maxMs: 1000 }, breaker: { failMax: 3, resetTimeoutMs: 60_000 }, fallback: false });
    expect(c).toMatchObject({ service: 'c', timeoutMs: 250, retry: { attempts: 1, backoff: 'fixed', minMs: 100, maxMs: 1000 }, breaker: { failMax: 3, resetTimeoutMs: 5000 } });
    // `d:` with no value is a call with every default.
    expect(d).toMatchObject({ service: 'd', timeoutMs: 2000, retry: { attempts: 5 }, breaker: { failMax: 3 } });
    expect(a.calls.map((call) => call.at)).toEqual([
      ['services', 'a', 'calls', 'b'],
      ['services', 'a', 'calls', 'c'],
      ['services', 'a', 'calls', 'd'],
    ]);
  });

  it('fall back to the built-in defaults when the spec has none', () => {
    const m = model(HEAD + SERVICES);
    expect(m.defaults).toEqual({ timeoutMs: DEFAULT_TIMEOUT_MS, retry: DEFAULT_RETRY, breaker: DEFAULT_BREAKER });
    expect(service(m, 'a').calls[0]).toMatchObject({ timeoutMs: 5000, retry: { attempts: 3, backoff: 'exponential', minMs: 1000, maxMs: 10_000 }, breaker: { failMax: 5, resetTimeoutMs: 30_000 } });
  });

  it("use every operation of the callee when the call lists none", () => {
    const a = service(model(HEAD + SERVICES), 'a');
    expect(a.calls[0].operations).toEqual(['getB', 'listB']);
    expect(a.calls[1].operations).toEqual([]);
  });
});

describe('operations and fields', () => {
  const m = model(`${HEAD}schemas:
  Item: { productId: string, quantity: integer }
services:
  order:
    schemas:
      Order: { id: uuid, items: "Item[]", note: string? }
    operations:
      getLine:
        http: GET /orders/{orderId}/lines/{line}
        params: { line: integer }
        query: { expand: "items|notes?" }
        responses: { 404: Error, 200: Order }
      createOrder:
        http: POST /orders
        body: { items: "Item[]", coupon: { type: string, minLength: 4, optional: true } }
        responses: { 201: empty }
`);
  const order = service(m, 'order');

  it('types path parameters, undeclared ones as strings, in path order', () => {
    const op = order.operations[0];
    expect([op.method, op.path]).toEqual(['GET', '/orders/{orderId}/lines/{line}']);
    expect(op.params.map((p) => [p.name, p.type])).toEqual([
      ['orderId', { kind: 'primitive', name: 'string' }],
      ['line', { kind: 'primitive', name: 'integer' }],
    ]);
    expect(op.query).toMatchObject([{ name: 'expand', optional: true, type: { kind: 'enum', values: ['items', 'notes'] } }]);
  });

  it('sorts responses by status and resolves their schemas', () => {
    expect(order.operations[0].responses.map((r) => [r.status, r.type])).toEqual([
      [200, { kind: 'ref', name: 'Order', scope: 'service' }],
      [404, { kind: 'ref', name: 'Error', scope: 'builtin' }],
    ]);
  });

  it('reads an inline body as an object, with JSON Schema fields and their constraints', () => {
    const body = order.operations[1].body!;
    expect(body.kind).toBe('object');
    if (body.kind !== 'object') return;
    expect(body.fields.map((f) => [f.name, f.optional])).toEqual([
      ['items', false],
      ['coupon', true],
    ]);
    expect(body.fields[0].type).toEqual({ kind: 'array', items: { kind: 'ref', name: 'Item', scope: 'shared' } });
    expect(body.fields[1]).toMatchObject({ type: { kind: 'primitive', name: 'string' }, constraints: { minLength: 4 }, at: ['services', 'order', 'operations', 'createOrder', 'body', 'coupon'] });
    expect(order.operations[1].responses[0].type).toEqual({ kind: 'empty' });
  });

  it('keeps service schemas with their owner and shared schemas as shared', () => {
    expect(m.schemas.map((s) => [s.name, s.owner])).toEqual([['Item', 'shared']]);
    expect(order.schemas.map((s) => [s.name, s.owner])).toEqual([['Order', 'order']]);
    const fields = order.schemas[0].type.kind === 'object' ? order.schemas[0].type.fields : [];
    expect(fields.map((f) => [f.name, f.optional, f.type.kind])).toEqual([
      ['id', false, 'format'],
      ['items', false, 'array'],
      ['note', true, 'primitive'],
    ]);
  });

  it('fills in the documented defaults', () => {
    expect(order).toMatchObject({ database: 'none', persistence: 'state' });
    expect(m).toMatchObject({ broker: { kind: 'rabbitmq', exchange: 'events' }, discovery: 'dns', deploy: { compose: true } });
    expect(m.gateway).toMatchObject({ kind: 'kong', port: 8000, routes: [] });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(order.operations[0].params)).toBe(true);
  });
});

describe('choreography implications on examples/shop', () => {
  const shop = model(readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8'));
  const subs = (name: string) => service(shop, name).subscribes.map((s) => [s.event, s.handler, s.origin.kind === 'saga' ? s.origin.saga : 'spec']);
  const pubs = (name: string) => service(shop, name).publishes.map((p) => [p.event, p.origin.kind === 'saga' ? p.origin.saga : 'spec']);

  it('subscribes each reacting service to the event it waits for', () => {
    expect(subs('inventory')).toEqual([['order.completed', 'onOrderCompleted', 'fulfil-order']]);
    expect(subs('payment')).toEqual([['inventory.failed', 'onInventoryFailed', 'fulfil-order']]);
    expect(subs('order')).toEqual([
      ['payment.*', 'onPaymentAny', 'spec'],
      ['inventory.failed', 'onInventoryFailed', 'fulfil-order'],
    ]);
    expect(subs('notification')).toEqual([
      ['order.*', 'onOrderEvent', 'spec'],
      ['user.registered', 'sendWelcome', 'spec'],
      ['inventory.shipped', 'onInventoryShipped', 'fulfil-order'],
    ]);
  });

  it('points an implied subscription at the saga step that implies it', () => {
    const implied = service(shop, 'notification').subscribes[2];
    expect(implied.at).toEqual(['sagas', 'fulfil-order', 'steps', 1, 'when']);
    expect(implied.matches).toEqual(['inventory.shipped']);
  });

  it('keeps explicit publications and adds none twice', () => {
    expect(pubs('inventory')).toEqual([
      ['inventory.shipped', 'spec'],
      ['inventory.failed', 'spec'],
    ]);
    expect(pubs('payment')).toEqual([['payment.refunded', 'spec']]);
    expect(pubs('order')).toEqual([
      ['order.created', 'spec'],
      ['order.completed', 'spec'],
      ['order.cancelled', 'spec'],
    ]);
  });

  it('adds publications a service does not declare itself', () => {
    const m = model(`${HEAD}services:\n  a: {}\n  b: {}\nevents:\n  x.started: {}\n  x.done: {}\n  x.failed: {}\nsagas:\n  s:\n    style: choreography\n    start: x.started\n    steps:\n      - when: x.started\n        service: a\n        emits: x.done\n        fails: x.failed\n      - when: x.done\n        service: b\n`);
    expect(service(m, 'a').publishes.map((p) => [p.event, p.origin.kind, p.at])).toEqual([
      ['x.done', 'saga', ['sagas', 's', 'steps', 0, 'emits']],
      ['x.failed', 'saga', ['sagas', 's', 'steps', 0, 'fails']],
    ]);
    expect(service(m, 'b').subscribes.map((s) => s.event)).toEqual(['x.done']);
  });

  it('does not add a subscription a wildcard already covers', () => {
    const m = model(`${HEAD}services:\n  a:\n    subscribes: [{ event: "x.*" }]\nevents:\n  x.started: {}\nsagas:\n  s:\n    style: choreography\n    start: x.started\n    steps:\n      - when: x.started\n        service: a\n`);
    expect(service(m, 'a').subscribes.map((s) => s.event)).toEqual(['x.*']);
  });

  it('resolves wildcard subscriptions to the declared events they match', () => {
    expect(service(shop, 'notification').subscribes[0].matches).toEqual(['order.created', 'order.completed', 'order.cancelled']);
    expect(service(shop, 'order').subscribes[0].matches).toEqual(['payment.refunded']);
  });

  it("defaults an orchestration's host to its first step's service", () => {
    const m = model(`${HEAD}services:\n  a:\n    operations: { go: { http: POST /go } }\nsagas:\n  s:\n    style: orchestration\n    steps:\n      - { name: one, action: a.go }\n`);
    expect(m.sagas[0]).toMatchObject({ style: 'orchestration', host: 'a' });
  });
});

describe('features', () => {
  it('says which services publish an event another service receives (by pattern too), not their own', () => {
    const m = model(
      `${HEAD}services:\n` +
        `  a: { publishes: [order.created] }\n` +
        `  b: { publishes: [order.paid], subscribes: [{ event: order.*, handler: onOrder }] }\n` +
        `  c: { publishes: [user.seen], subscribes: [{ event: user.seen, handler: onSeen }] }\n` +
        `  d: {}\n` +
        `events:\n  order.created: { payload: { id: string } }\n  order.paid: { payload: { id: string } }\n  user.seen: { payload: { id: string } }\n`,
    );
    expect(m.services.map((s) => [s.name, s.features.received])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
      ['d', false],
    ]);
  });
});

describe('clients: calls and the operations of hosted sagas', () => {
  const spec =
    `${HEAD}defaults: { timeout: 2s }\nservices:\n` +
    `  order:\n    operations:\n      createOrder: { http: POST /orders }\n      cancelOrder: { http: "DELETE /orders/{id}" }\n` +
    `    calls:\n      payment: { operations: [quote], timeout: 1s, fallback: true }\n` +
    `  payment:\n    operations:\n      quote: { http: GET /quotes }\n      charge: { http: POST /payments }\n      refund: { http: "POST /payments/{id}/refund" }\n` +
    `  inventory:\n    operations:\n      reserve: { http: POST /reservations }\n` +
    `  mail: {}\n` +
    `sagas:\n  checkout:\n    style: orchestration\n    host: order\n    steps:\n` +
    `      - { name: create, action: order.createOrder, compensation: order.cancelOrder }\n` +
    `      - { name: pay, action: payment.charge, compensation: payment.refund }\n` +
    `      - { name: reserve, action: inventory.reserve }\n`;

  it("unites a call with the steps' operations, keeping its policies; adds the other callees with the defaults", () => {
    const m = model(spec);
    const order = service(m, 'order');
    // `calls` stays as the spec wrote it.
    expect(order.calls.map((c) => [c.service, c.operations])).toEqual([['payment', ['quote']]]);
    expect(order.clients.map((c) => [c.service, c.operations, c.timeoutMs, c.fallback])).toEqual([
      ['payment', ['quote', 'charge', 'refund'], 1000, true],
      ['order', ['createOrder', 'cancelOrder'], 2000, false],
      ['inventory', ['reserve'], 2000, false],
    ]);
    expect(order.clients[2]).toMatchObject({ retry: DEFAULT_RETRY, breaker: DEFAULT_BREAKER, at: ['sagas', 'checkout', 'steps', 2, 'action'] });
  });

  it('gives only the host clients and the sagas feature', () => {
    const m = model(spec);
    expect(m.services.map((s) => [s.name, s.clients.length, s.features.clients, s.features.sagas])).toEqual([
      ['order', 3, true, true],
      ['payment', 0, false, false],
      ['inventory', 0, false, false],
      ['mail', 0, false, false],
    ]);
  });

  it('makes a host whose saga only calls itself a client of itself', () => {
    const m = model(`${HEAD}services:\n  a:\n    operations:\n      go: { http: POST /go }\nsagas:\n  s:\n    style: orchestration\n    steps:\n      - { name: go, action: a.go }\n`);
    expect(service(m, 'a').clients.map((c) => [c.service, c.operations])).toEqual([['a', ['go']]]);
    expect(service(m, 'a').features).toMatchObject({ clients: true, sagas: true });
  });
});
