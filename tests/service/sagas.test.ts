/**
 * What the saga generator plans for a host of orchestrated sagas (and nothing for the others):
 * the generated sagas.ts (input type and schema, typed results, the step class, the step table),
 * the user's step class with one stub per action and compensation, and the wiring in service.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';
import type { SystemModel } from '../../src/model/types.js';
import { routeSchemas } from '../../src/plan/generators/route-schemas.js';
import { planSystem } from '../../src/plan/index.js';
import { loadRuntimePackage } from '../../src/plan/runtime-package.js';
import type { MemberStub, PlannedFile } from '../../src/plan/tree.js';
import { ROOT } from '../helpers/system.js';

function modelOf(text: string): SystemModel {
  const result = lintText('microgen.yaml', text);
  if (!result.model) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.model;
}

const plan = (model: SystemModel): Map<string, PlannedFile> =>
  new Map(planSystem({ model, specPath: 'microgen.yaml', version: '0.0.0-test', runtime: loadRuntimePackage() }).list().map((f) => [f.path, f]));

const SHOP = modelOf(readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8'));
const shop = plan(SHOP);
const file = (path: string): PlannedFile => {
  const f = shop.get(path);
  if (!f) throw new Error(`not planned: ${path}`);
  return f;
};

describe('a saga host', () => {
  it('alone gets sagas.ts and a step class per saga', () => {
    expect([...shop.keys()].filter((p) => p.startsWith('services/') && p.includes('saga'))).toEqual(['services/order/src/generated/sagas.ts', 'services/order/src/handlers/sagas/place-order.ts']);
    expect(file('services/order/src/generated/sagas.ts').owner).toBe('generated');
    expect(file('services/order/src/handlers/sagas/place-order.ts').owner).toBe('scaffold');
  });

  it('types the input, the results by step and one abstract method per action and compensation', () => {
    const text = file('services/order/src/generated/sagas.ts').content;
    expect(text).toContain('export interface PlaceOrderInput {\n  userId: number;\n  items: T.Item[];\n  total: T.Money;\n}');
    expect(text).toContain("  readonly 'create-order'?: PlaceOrderCreateOrderResult;");
    expect(text).toContain('export type PlaceOrderCreateOrderResult = StepResult<OrderApi.CreateOrderReply>;');
    expect(text).toContain('  abstract createOrder(run: PlaceOrderRun): Promise<PlaceOrderCreateOrderRequest>;');
    expect(text).toMatch(/ {2}abstract compensateProcessPayment\(\n {4}run: PlaceOrderRun,\n {4}result: PlaceOrderProcessPaymentResult,\n {2}\): Promise<PlaceOrderCompensateProcessPaymentRequest>;/);
    expect(text).toContain('export abstract class PlaceOrderSteps {\n  constructor(protected readonly ctx: ServiceContext) {}');
    // One table row per step over the runtime's helpers; no casts.
    expect(text.match(/ callStep\(/g)).toHaveLength(3);
    expect(text.match(/ compensationStep\(/g)).toHaveLength(3);
    expect(text).not.toMatch(/ as (never|unknown|any)\b/);
    expect(text.split('\n').filter((l) => l.length > 100)).toEqual([]);
  });

  it("checks the input against a schema whose references are the host's components", () => {
    const text = file('services/order/src/generated/sagas.ts').content;
    expect(text).toContain("items: { type: 'array', items: { $ref: 'Item#' } }");
    const ids = routeSchemas(SHOP, SHOP.services.find((s) => s.name === 'order')!).components.map((c) => `${String(c.$id)}#`);
    expect(ids).toEqual(expect.arrayContaining(['Item#', 'Money#']));
  });

  it("adds the shared schemas only a saga's input names to the host's components", () => {
    const model = modelOf(
      'microgen: 1\nname: s\nschemas:\n  Trip: { id: string }\nservices:\n  a:\n    operations:\n      go: { http: POST /go, responses: { 201: empty } }\n' +
        'sagas:\n  one:\n    style: orchestration\n    input: { trip: Trip }\n    steps:\n      - { name: go, action: a.go }\n',
    );
    const components = routeSchemas(model, model.services[0]).components;
    expect(components.find((c) => c.$id === 'Trip')).toEqual({ $id: 'Trip', type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
    expect(plan(model).get('services/a/src/generated/sagas.ts')!.content).toContain("properties: { trip: { $ref: 'Trip#' } }");
  });

  it('gives the user a stub per method, keyed by method', () => {
    const handlers = file('services/order/src/handlers/sagas/place-order.ts');
    expect(handlers.content).toContain('export class PlaceOrder extends PlaceOrderSteps {');
    expect(handlers.content).toContain("throw new NotImplemented('place-order: compensating create-order');");
    expect((handlers.stubs as MemberStub[]).map((s) => [s.key, s.className])).toEqual([
      ['saga-step:createOrder', 'PlaceOrder'],
      ['saga-step:compensateCreateOrder', 'PlaceOrder'],
      ['saga-step:reserveInventory', 'PlaceOrder'],
      ['saga-step:compensateReserveInventory', 'PlaceOrder'],
      ['saga-step:processPayment', 'PlaceOrder'],
      ['saga-step:compensateProcessPayment', 'PlaceOrder'],
    ]);
  });

  it('wires the step classes and the sagas into the service definition', () => {
    const text = file('services/order/src/generated/service.ts').content;
    expect(text).toContain("import { PlaceOrder } from '../handlers/sagas/place-order.js';");
    expect(text).toContain('    sagas: (ctx) => ({\n      placeOrder: new PlaceOrder(ctx),\n    }),');
    expect(text).toContain('  sagas: (ctx, steps) => [\n    placeOrderSaga(ctx.clients, steps.placeOrder),\n  ],');
    expect(file('services/user/src/generated/service.ts').content).not.toContain('sagas');
  });

  it('imports only the helpers it uses: a saga without compensations has no compensationStep', () => {
    const model = modelOf(
      'microgen: 1\nname: s\nservices:\n  a:\n    operations:\n      go: { http: POST /go, responses: { 201: { id: string } } }\n' +
        'sagas:\n  one:\n    style: orchestration\n    steps:\n      - { name: go, action: a.go }\n',
    );
    const text = plan(model).get('services/a/src/generated/sagas.ts')!.content;
    expect(text).not.toContain('compensationStep');
    expect(text).not.toContain("from './types.js'");
    expect(text).toContain('export type OneInput = Record<string, never>;');
  });
});
