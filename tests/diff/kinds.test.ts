/**
 * One old/new pair per kind of change, derived from the shop example: the kind and severity
 * reported, and the exit code (1 only for wire-breaking changes, or source ones with --strict).
 */
import { describe, expect, it } from 'vitest';
import { diffJson, edit, SHOP, type Edit, type JsonChange } from './helpers.js';

const PRODUCT_SERVICE = `  product:
    port: 8003
    database: redis
    schemas:
      Product:
        id: string
        name: string
        price: Money
    operations:
      getProduct:
        http: GET /products/{id}
        responses: { 200: Product, 404: Error }
      listProducts:
        http: GET /products
        query: { limit: integer?, cursor: string? }
        responses: { 200: "Product[]" }

`;
const PRODUCT_ROUTE = `    - path: /api/products
      service: product
      stripPath: true
      upstreamPath: /products
      auth: none
      rateLimit: { minute: 600 }
`;
const LIST_PRODUCTS = `      listProducts:
        http: GET /products
        query: { limit: integer?, cursor: string? }
        responses: { 200: "Product[]" }
`;
const CURSOR = 'query: { limit: integer?, cursor: string? }';
const USER_EMAIL_FIELD = '        email: email\n      NewUser:';
const RELEASE = 'http: DELETE /reservations/{orderId}\n        responses: { 204: empty }';

interface Case {
  name: string;
  /** Edits making the old spec (default: the shop as it is). */
  old?: Edit[];
  /** Edits making the new spec from the old one. */
  edits: Edit[];
  expect: { kind: string; severity: JsonChange['severity']; where?: string; message?: RegExp }[];
  code: number;
  /** Kinds that must not be reported. */
  absent?: string[];
}

const breaking: Case[] = [
  {
    name: 'a removed service (and its route)',
    edits: [[PRODUCT_SERVICE, ''], [PRODUCT_ROUTE, '']],
    expect: [
      { kind: 'service-removed', severity: 'wire', where: 'services.product' },
      { kind: 'route-removed', severity: 'wire', where: 'gateway.routes["/api/products"]' },
    ],
    // The service is reported once, not once per operation.
    absent: ['operation-removed'],
    code: 1,
  },
  {
    name: 'a changed port: URLs in .env, compose and the gateway name it',
    edits: [['    port: 8003\n', '    port: 8013\n']],
    expect: [{ kind: 'port-changed', severity: 'wire', where: 'services.product', message: /port of `product` changed from 8003 to 8013: whoever calls it on 8003 loses it/ }],
    code: 1,
  },
  {
    name: 'an implicit port moved because a service before it was removed',
    old: [['    port: 8004\n', '']],
    edits: [[PRODUCT_SERVICE, ''], [PRODUCT_ROUTE, '']],
    expect: [
      { kind: 'service-removed', severity: 'wire', where: 'services.product' },
      { kind: 'port-changed', severity: 'wire', where: 'services.inventory', message: /changed from 8004 to 8003 \(it has no port:, so its place in the spec decides it; pin it with port: 8004\)/ },
    ],
    code: 1,
  },
  {
    name: 'a removed operation',
    edits: [[LIST_PRODUCTS, '']],
    expect: [{ kind: 'operation-removed', severity: 'wire', where: 'services.product.operations.listProducts', message: /GET \/products/ }],
    code: 1,
  },
  {
    name: 'an operation moved to another path (same name)',
    edits: [['http: GET /products/{id}', 'http: GET /items/{id}']],
    expect: [{ kind: 'operation-moved', severity: 'wire', where: 'services.product.operations.getProduct', message: /GET \/items\/\{id\}/ }],
    code: 1,
  },
  {
    name: 'an operation moved to another method',
    edits: [['http: POST /refunds', 'http: PUT /refunds']],
    expect: [{ kind: 'operation-moved', severity: 'wire', where: 'services.payment.operations.refund' }],
    code: 1,
  },
  {
    name: 'a removed gateway route',
    edits: [[PRODUCT_ROUTE, '']],
    expect: [{ kind: 'route-removed', severity: 'wire', where: 'gateway.routes["/api/products"]' }],
    code: 1,
  },
  {
    name: 'a public route that now needs a JWT',
    edits: [['      auth: none\n', '']],
    expect: [{ kind: 'route-changed', severity: 'wire', message: /requires a JWT/ }],
    code: 1,
  },
  {
    name: 'a route restricted to fewer methods',
    edits: [['      upstreamPath: /orders\n', '      upstreamPath: /orders\n      methods: [GET]\n']],
    expect: [{ kind: 'route-changed', severity: 'wire', where: 'gateway.routes["/api/orders"]', message: /no longer accepts/ }],
    code: 1,
  },
  {
    name: 'a removed event',
    edits: [
      ['    publishes: [user.registered]\n', ''],
      ['      - event: user.registered\n        handler: sendWelcome\n', ''],
      ['  user.registered:\n    payload: { userId: integer, email: email }\n', ''],
    ],
    expect: [{ kind: 'event-removed', severity: 'wire', where: 'events.user.registered', message: /`notification` subscribed/ }],
    code: 1,
  },
  {
    name: 'an event still subscribed that nobody publishes any more',
    edits: [['    publishes: [user.registered]\n', '']],
    expect: [{ kind: 'event-unpublished', severity: 'wire', where: 'events.user.registered', message: /`notification` still subscribes/ }],
    code: 1,
  },
  {
    name: 'a response field removed (in a named schema, reported once with its uses)',
    edits: [[USER_EMAIL_FIELD, '      NewUser:']],
    expect: [
      {
        kind: 'field-removed',
        severity: 'wire',
        where: 'services.user.schemas.User.email',
        message: /response 201 of user\.createUser, response 200 of user\.getUser/,
      },
    ],
    code: 1,
  },
  {
    name: 'an event payload field removed without a version bump',
    edits: [['payload: { userId: integer, email: email }', 'payload: { userId: integer }']],
    expect: [
      { kind: 'field-removed', severity: 'wire', where: 'events.user.registered.payload.email' },
      { kind: 'event-version-not-bumped', severity: 'wire', where: 'events.user.registered' },
    ],
    code: 1,
  },
  {
    name: 'a request type narrowed: number → integer',
    edits: [['body: { orderId: string, amount: Money }', 'body: { orderId: string, amount: integer }']],
    expect: [{ kind: 'type-narrowed', severity: 'wire', where: 'services.payment.operations.charge.body.amount', message: /number to integer/ }],
    code: 1,
  },
  {
    name: 'a request type narrowed: string → enum',
    edits: [[CURSOR, 'query: { limit: integer?, cursor: first|next? }']],
    expect: [{ kind: 'type-narrowed', severity: 'wire', where: 'services.product.operations.listProducts.query.cursor' }],
    code: 1,
  },
  {
    name: 'a request type narrowed: string → format',
    edits: [[CURSOR, 'query: { limit: integer?, cursor: uuid? }']],
    expect: [{ kind: 'type-narrowed', severity: 'wire', where: 'services.product.operations.listProducts.query.cursor' }],
    code: 1,
  },
  {
    name: 'enum values removed from a request',
    old: [[CURSOR, 'query: { limit: integer?, cursor: first|next|last? }']],
    edits: [['cursor: first|next|last?', 'cursor: first|next?']],
    expect: [{ kind: 'enum-value-removed', severity: 'wire', message: /`last`/ }],
    code: 1,
  },
  {
    name: 'an enum value added to a response',
    edits: [['status: pending|completed|cancelled', 'status: pending|completed|cancelled|refunded']],
    expect: [{ kind: 'enum-value-added', severity: 'wire', where: 'services.order.schemas.Order.status', message: /`refunded`/ }],
    code: 1,
  },
  {
    name: 'a response type widened: integer → number',
    edits: [['      User:\n        id: integer', '      User:\n        id: number']],
    expect: [{ kind: 'type-widened', severity: 'wire', where: 'services.user.schemas.User.id' }],
    code: 1,
  },
  {
    name: 'a response field made optional',
    edits: [['        name: string\n' + USER_EMAIL_FIELD, '        name: string?\n' + USER_EMAIL_FIELD]],
    expect: [{ kind: 'field-made-optional', severity: 'wire', where: 'services.user.schemas.User.name' }],
    code: 1,
  },
  {
    name: 'an incompatible type change in an event payload',
    edits: [['payload: { orderId: string, trackingId: string }', 'payload: { orderId: string, trackingId: integer }']],
    expect: [
      { kind: 'type-changed', severity: 'wire', where: 'events.inventory.shipped.payload.trackingId' },
      { kind: 'event-version-not-bumped', severity: 'wire', where: 'events.inventory.shipped' },
    ],
    code: 1,
  },
  {
    name: 'a new required field in a request body',
    edits: [['      NewUser:\n        name: string', '      NewUser:\n        password: string\n        name: string']],
    expect: [{ kind: 'required-field-added', severity: 'wire', where: 'services.user.schemas.NewUser.password' }],
    code: 1,
  },
  {
    name: 'a new required query field',
    edits: [[CURSOR, 'query: { limit: integer?, cursor: string?, region: string }']],
    expect: [{ kind: 'required-field-added', severity: 'wire', where: 'services.product.operations.listProducts.query.region' }],
    code: 1,
  },
  {
    name: 'an optional query field made required',
    edits: [[CURSOR, 'query: { limit: integer, cursor: string? }']],
    expect: [{ kind: 'field-made-required', severity: 'wire', where: 'services.product.operations.listProducts.query.limit' }],
    code: 1,
  },
  {
    name: 'a path parameter narrowed: string → integer',
    edits: [['http: GET /orders/{id}\n        responses', 'http: GET /orders/{id}\n        params: { id: integer }\n        responses']],
    expect: [{ kind: 'type-changed', severity: 'wire', where: 'services.order.operations.getOrder.params.id' }],
    code: 1,
  },
  {
    name: 'a request body added with required fields',
    edits: [[RELEASE, 'http: DELETE /reservations/{orderId}\n        body: { reason: string }\n        responses: { 204: empty }']],
    expect: [{ kind: 'required-field-added', severity: 'wire', where: 'services.inventory.operations.release.body.reason' }],
    code: 1,
  },
  {
    name: 'a request body added that is not an object',
    edits: [[RELEASE, 'http: DELETE /reservations/{orderId}\n        body: "Item[]"\n        responses: { 204: empty }']],
    expect: [{ kind: 'body-added', severity: 'wire', where: 'services.inventory.operations.release.body' }],
    code: 1,
  },
  {
    name: 'a success response replaced by another status',
    edits: [['responses: { 201: User, 409: Error }', 'responses: { 200: User, 409: Error }']],
    expect: [
      { kind: 'response-removed', severity: 'wire', where: 'services.user.operations.createUser.responses.201' },
      { kind: 'response-added', severity: 'info', where: 'services.user.operations.createUser.responses.200' },
    ],
    code: 1,
  },
  {
    name: 'a renamed operation that also moved, said by renamedFrom',
    edits: [['      getProduct:\n        http: GET /products/{id}', '      fetchProduct:\n        renamedFrom: getProduct\n        http: GET /items/{id}']],
    expect: [
      { kind: 'operation-renamed', severity: 'source', where: 'services.product.operations.getProduct', message: /`fetchProduct`/ },
      { kind: 'operation-moved', severity: 'wire', where: 'services.product.operations.fetchProduct', message: /GET \/products\/\{id\} to GET \/items\/\{id\}/ },
    ],
    absent: ['operation-removed', 'operation-added'],
    code: 1,
  },
];

const sourceLevel: Case[] = [
  {
    name: 'a renamed operation (same method and path)',
    edits: [['      getProduct:\n        http: GET /products/{id}', '      fetchProduct:\n        http: GET /products/{id}']],
    expect: [{ kind: 'operation-renamed', severity: 'source', where: 'services.product.operations.getProduct', message: /`fetchProduct`/ }],
    absent: ['operation-removed', 'operation-added'],
    code: 0,
  },
  {
    name: 'a renamed event handler (same pattern)',
    edits: [['        handler: sendWelcome', '        handler: welcomeUser']],
    expect: [{ kind: 'handler-renamed', severity: 'source', where: 'services.notification.handlers.sendWelcome', message: /`welcomeUser`/ }],
    code: 0,
  },
  {
    name: 'a renamed path parameter',
    edits: [['http: GET /products/{id}', 'http: GET /products/{productId}']],
    expect: [{ kind: 'param-renamed', severity: 'source', where: 'services.product.operations.getProduct.params.productId' }],
    absent: ['operation-moved'],
    code: 0,
  },
  {
    name: 'a request field removed',
    edits: [['body: { orderId: string, amount: Money }', 'body: { orderId: string }']],
    expect: [{ kind: 'field-removed', severity: 'source', where: 'services.payment.operations.charge.body.amount' }],
    code: 0,
  },
  {
    name: 'a request enum widened to string',
    old: [[CURSOR, 'query: { limit: integer?, cursor: first|next? }']],
    edits: [['cursor: first|next?', 'cursor: string?']],
    expect: [{ kind: 'type-widened', severity: 'source' }],
    code: 0,
  },
  {
    name: 'a response type narrowed: string → enum',
    edits: [['      Product:\n        id: string\n        name: string', '      Product:\n        id: string\n        name: a|b']],
    expect: [{ kind: 'type-narrowed', severity: 'source', where: 'services.product.schemas.Product.name' }],
    code: 0,
  },
  {
    name: 'a removed saga',
    edits: [[SHOP.slice(SHOP.indexOf('  # Fulfilment after'), SHOP.indexOf('gateway:\n')), '\n']],
    expect: [{ kind: 'saga-removed', severity: 'source', where: 'sagas.fulfil-order' }],
    code: 0,
  },
];

const safe: Case[] = [
  {
    name: 'an optional request field added',
    edits: [['      NewUser:\n        name: string', '      NewUser:\n        nickname: string?\n        name: string']],
    expect: [{ kind: 'field-added', severity: 'info', where: 'services.user.schemas.NewUser.nickname' }],
    code: 0,
  },
  {
    name: 'an operation added',
    edits: [[LIST_PRODUCTS, LIST_PRODUCTS + '      searchProducts:\n        http: GET /products/search\n        query: { q: string }\n        responses: { 200: "Product[]" }\n']],
    expect: [{ kind: 'operation-added', severity: 'info', where: 'services.product.operations.searchProducts' }],
    code: 0,
  },
  {
    name: 'an event added',
    edits: [
      ['    database: redis\n', '    database: redis\n    publishes: [product.updated]\n'],
      ['  payment.refunded:\n    payload: { orderId: string }\n', '  payment.refunded:\n    payload: { orderId: string }\n  product.updated:\n    payload: { productId: string }\n'],
    ],
    expect: [{ kind: 'event-added', severity: 'info', where: 'events.product.updated' }],
    code: 0,
  },
  {
    name: 'a service added',
    edits: [['  notification:\n', '  review:\n    port: 8007\n    operations:\n      addReview:\n        http: POST /reviews\n        body: { text: string }\n        responses: { 201: empty }\n\n  notification:\n']],
    expect: [{ kind: 'service-added', severity: 'info', where: 'services.review' }],
    code: 0,
  },
  {
    name: 'an optional response field added',
    edits: [['        price: Money\n', '        price: Money\n        stock: integer?\n']],
    expect: [{ kind: 'field-added', severity: 'info', where: 'services.product.schemas.Product.stock' }],
    code: 0,
  },
  {
    name: 'a required response field added (handlers must set it, the wire is fine)',
    edits: [['        price: Money\n', '        price: Money\n        sku: string\n']],
    expect: [{ kind: 'field-added', severity: 'source', where: 'services.product.schemas.Product.sku' }],
    code: 0,
  },
  {
    name: 'a request type widened: integer → number',
    edits: [['      NewOrder:\n        userId: integer', '      NewOrder:\n        userId: number']],
    expect: [{ kind: 'type-widened', severity: 'info', where: 'services.order.schemas.NewOrder.userId' }],
    code: 0,
  },
  {
    name: 'a request type widened: format → string',
    edits: [['      NewUser:\n        name: string\n        email: email', '      NewUser:\n        name: string\n        email: string']],
    expect: [{ kind: 'type-widened', severity: 'info', where: 'services.user.schemas.NewUser.email' }],
    code: 0,
  },
  {
    name: 'a response type narrowed: number → integer',
    edits: [['        price: Money\n', '        price: integer\n']],
    expect: [{ kind: 'type-narrowed', severity: 'info', where: 'services.product.schemas.Product.price' }],
    code: 0,
  },
  {
    name: 'a response field made required (optional → required is safe for readers)',
    old: [['        name: string\n' + USER_EMAIL_FIELD, '        name: string?\n' + USER_EMAIL_FIELD]],
    edits: [['        name: string?\n', '        name: string\n']],
    expect: [{ kind: 'field-made-required', severity: 'source', where: 'services.user.schemas.User.name' }],
    code: 0,
  },
  {
    name: 'an optional field added to an event payload (no version bump needed)',
    edits: [['payload: { orderId: string, trackingId: string }', 'payload: { orderId: string, trackingId: string, carrier: string? }']],
    expect: [{ kind: 'field-added', severity: 'info', where: 'events.inventory.shipped.payload.carrier' }],
    absent: ['event-version-not-bumped'],
    code: 0,
  },
  {
    name: 'a route added',
    edits: [[PRODUCT_ROUTE, PRODUCT_ROUTE + '    - path: /api/payments\n      service: payment\n      stripPath: true\n      upstreamPath: /payments\n']],
    expect: [{ kind: 'route-added', severity: 'info' }],
    code: 0,
  },
];

function check(c: Case, changes: JsonChange[]): void {
  for (const e of c.expect) {
    const hit = changes.find((x) => x.kind === e.kind && (e.where === undefined || x.where === e.where));
    expect(hit, `${e.kind} at ${e.where ?? '(anywhere)'} in ${JSON.stringify(changes, null, 1)}`).toBeDefined();
    expect(hit!.severity).toBe(e.severity);
    if (e.message) expect(hit!.message).toMatch(e.message);
    expect(hit!.line).toBeGreaterThan(0);
    expect(hit!.column).toBeGreaterThan(0);
  }
  for (const kind of c.absent ?? []) expect(changes.map((x) => x.kind)).not.toContain(kind);
}

async function runCase(c: Case) {
  const before = edit(SHOP, c.old ?? []);
  const after = edit(before, c.edits);
  return diffJson(before, after);
}

describe('breaking (wire) changes', () => {
  it.each(breaking.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { code, report, stderr } = await runCase(c);
    expect(stderr).toBe('');
    check(c, report.changes);
    expect(report.breaking).toBe(true);
    expect(code).toBe(c.code);
  });
});

describe('source-level changes: reported, not breaking unless --strict', () => {
  it.each(sourceLevel.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { code, report } = await runCase(c);
    check(c, report.changes);
    expect(report.changes.filter((x) => x.severity === 'wire')).toEqual([]);
    expect(code).toBe(0);
    const strict = await diffJson(edit(SHOP, c.old ?? []), edit(edit(SHOP, c.old ?? []), c.edits), ['--strict']);
    expect(strict.code).toBe(1);
  });
});

describe('safe changes are not breaking', () => {
  it.each(safe.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { code, report } = await runCase(c);
    check(c, report.changes);
    expect(report.changes.filter((x) => x.severity === 'wire')).toEqual([]);
    expect(report.breaking).toBe(false);
    expect(code).toBe(c.code);
  });
});

describe('event versions', () => {
  const removeEmail: Edit = ['payload: { userId: integer, email: email }', 'payload: { userId: integer }'];

  it('a version bump with a payload change still reports the removed field, but not the missing bump', async () => {
    const after = edit(SHOP, [['  user.registered:\n    payload: { userId: integer, email: email }', '  user.registered:\n    version: 2\n    payload: { userId: integer }']]);
    const { code, report } = await diffJson(SHOP, after);
    const kinds = report.changes.map((c) => c.kind);
    expect(kinds).toContain('field-removed');
    expect(report.changes.find((c) => c.kind === 'field-removed')!.severity).toBe('wire');
    expect(kinds).not.toContain('event-version-not-bumped');
    expect(report.changes.find((c) => c.kind === 'event-version-bumped')).toMatchObject({ severity: 'info', where: 'events.user.registered' });
    expect(code).toBe(1);
  });

  it('the missing bump points at the event in the new spec', async () => {
    const after = edit(SHOP, [removeEmail]);
    const { report } = await diffJson(SHOP, after);
    const change = report.changes.find((c) => c.kind === 'event-version-not-bumped')!;
    const line = after.split('\n').findIndex((l) => l === '  user.registered:') + 1;
    expect(change).toMatchObject({ file: 'new.yaml', line, column: 3 });
  });

  it('a change in a shared schema used by a payload needs a bump too', async () => {
    const after = edit(SHOP, [['    quantity: integer\n', '    quantity: number\n']]);
    const { report } = await diffJson(SHOP, after);
    const notBumped = report.changes.filter((c) => c.kind === 'event-version-not-bumped').map((c) => c.where);
    expect(notBumped).toEqual(['events.order.completed', 'events.order.created']);
    const widened = report.changes.filter((c) => c.kind === 'type-widened' && c.where === 'schemas.Item.quantity');
    // Widening is wire-breaking where the shop writes Item (responses, payloads) and safe where it reads it.
    expect(widened.map((c) => c.severity).sort()).toEqual(['info', 'wire']);
    expect(widened.find((c) => c.severity === 'wire')!.message).toMatch(/payload of order\.created/);
    expect(widened.find((c) => c.severity === 'info')!.message).toMatch(/body of inventory\.reserve/);
  });
});
