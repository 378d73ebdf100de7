/**
 * The helpers a generated saga is made of (`callStep`, `compensationStep`) against real Fastify
 * callees through typed clients like the generated ones, and a service whose saga steps are
 * classes built by `handlers.sagas` (overridable at start, like the other handler classes).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { callStep, compensationStep, createSagaEngine, memorySagaStore, type ClientOperation, type SagaDefinition, type SagaEngine, type ServiceCaller, type StepRequest, type StepResult, type StepRun } from '../src/index.js';
import { openService } from '../src/service/service.js';
import { captureLogger } from './helpers.js';
import { CHARGE, ORDER_SCHEMA, RELEASE, REFUND, RESERVE, received, startShop, trail, type Order, type Shop } from './saga-helpers.js';

/** Typed clients as the generator writes them: each method a `…Call` in, a reply union out. */
interface ReserveCall {
  body: Order;
  idempotencyKey?: string;
}
type ReserveReply = { status: 201; body: { id: string } } | { status: 409; body: { error: string; message: string } };
interface ReleaseCall {
  params: { id: string };
  idempotencyKey?: string;
}
type ReleaseReply = { status: 204 };
interface ChargeCall {
  body: Order & { reservation: string };
  idempotencyKey?: string;
}
type ChargeReply = { status: 201; body: { id: string } } | { status: 402; body: { error: string; message: string } };
interface RefundCall {
  params: { id: string };
  idempotencyKey?: string;
}
type RefundReply = { status: 200; body: { refunded: boolean } };

const client = <Call extends object, Reply extends { status: number }>(caller: () => ServiceCaller, operation: ClientOperation) => (request: Call) =>
  caller().call<Reply & { body?: unknown }>(operation, request);

type Results = { readonly reserve?: StepResult<ReserveReply>; readonly charge?: StepResult<ChargeReply> };
type Run = StepRun<Order, Results>;

/** The user's side: builds each request from the run; records what it was handed. */
class OrderSteps {
  readonly seen: string[] = [];
  async reserve(run: Run): Promise<StepRequest<ReserveCall>> {
    return { body: run.input };
  }
  async compensateReserve(run: Run, result: StepResult<ReserveReply>): Promise<StepRequest<ReleaseCall>> {
    this.seen.push(`release ${result.id}`);
    return { params: { id: result.id } };
  }
  async charge(run: Run): Promise<StepRequest<ChargeCall>> {
    return { body: { ...run.input, reservation: run.results.reserve?.id ?? '' } };
  }
  async compensateCharge(_run: Run, result: StepResult<ChargeReply>): Promise<StepRequest<RefundCall>> {
    return { params: { id: result.id } };
  }
}

let shop: Shop;
const engines: SagaEngine<Order>[] = [];

beforeAll(async () => {
  shop = await startShop();
});
afterAll(() => shop.close());
beforeEach(() => shop.reset());
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

function orderSaga(steps: OrderSteps, name = 'place-order'): SagaDefinition<Order, Results> {
  const inventory = () => shop.callers.inventory;
  const payment = () => shop.callers.payment;
  return {
    name,
    inputSchema: ORDER_SCHEMA,
    steps: [
      {
        name: 'reserve',
        action: callStep('inventory.reserve', (run: Run) => steps.reserve(run), client<ReserveCall, ReserveReply>(inventory, RESERVE)),
        compensation: compensationStep('inventory.release', 'reserve', (run: Run, r) => steps.compensateReserve(run, r), client<ReleaseCall, ReleaseReply>(inventory, RELEASE)),
      },
      {
        name: 'charge',
        action: callStep('payment.charge', (run: Run) => steps.charge(run), client<ChargeCall, ChargeReply>(payment, CHARGE)),
        compensation: compensationStep('payment.refund', 'charge', (run: Run, r) => steps.compensateCharge(run, r), client<RefundCall, RefundReply>(payment, REFUND)),
      },
    ],
  };
}

async function engineOf(definition: SagaDefinition<Order, Results>): Promise<SagaEngine<Order>> {
  const engine = createSagaEngine<Order>({ definition, store: memorySagaStore(), logger: captureLogger('orders').logger, setting: (n) => ({ SAGA_RETRY_DELAYS: '50ms,50ms' })[n] });
  await engine.open();
  engines.push(engine);
  return engine;
}

describe('callStep and compensationStep', () => {
  it('type a step by its reply: the result is the 2xx body, the request has no key of its own', () => {
    expectTypeOf<StepResult<ReserveReply>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<StepResult<ReleaseReply>>().toEqualTypeOf<null>();
    expectTypeOf<StepRequest<ReserveCall>>().toEqualTypeOf<Omit<ReserveCall, 'idempotencyKey'>>();
    const action = callStep('inventory.reserve', async (run: Run) => ({ body: run.input }), client<ReserveCall, ReserveReply>(() => shop.callers.inventory, RESERVE));
    expectTypeOf(action).returns.resolves.toEqualTypeOf<{ id: string }>();
    // @ts-expect-error a builder returning the wrong request does not fit the client
    callStep('inventory.reserve', async (run: Run) => ({ body: { orderId: run.input.orderId } }), client<ReserveCall, ReserveReply>(() => shop.callers.inventory, RESERVE));
  });

  it('send the user-built requests with the step key and record the 2xx bodies as results', async () => {
    const engine = await engineOf(orderSaga(new OrderSteps()));
    const { id } = await engine.start({ orderId: 'o-1', total: 3 });
    expect((await engine.wait(id, 5_000))?.state).toBe('completed');
    expect(trail()).toEqual([`inventory POST /reservations ${id}/reserve/action`, `payment POST /payments ${id}/charge/action`]);
    expect(received[1].body).toEqual({ orderId: 'o-1', total: 3, reservation: 'inventory-o-1' });
  });

  it('fail a step on a declared 4xx and hand each compensation its own action result, in reverse order', async () => {
    shop.payment.answer = () => ({ status: 402, body: { error: 'payment_required', message: 'card declined' } });
    const steps = new OrderSteps();
    const engine = await engineOf(orderSaga(steps));
    const { id } = await engine.start({ orderId: 'o-2', total: 3 });
    const view = await engine.wait(id, 5_000);
    expect(view?.state).toBe('compensated');
    expect(view?.history.find((h) => h.event === 'step-failed')?.error).toBe('payment.charge answered 402: card declined');
    expect(steps.seen).toEqual(['release inventory-o-2']);
    expect(trail()).toEqual([
      `inventory POST /reservations ${id}/reserve/action`,
      `payment POST /payments ${id}/charge/action`,
      `inventory DELETE /reservations/inventory-o-2 ${id}/reserve/compensation`,
    ]);
  });

  it('retry a step answered 5xx with the same key', async () => {
    shop.payment.answer = (_req, n) => (n === 1 ? { status: 503 } : { status: 201, body: { id: 'p-1' } });
    const engine = await engineOf(orderSaga(new OrderSteps()));
    const { id } = await engine.start({ orderId: 'o-3', total: 1 });
    expect((await engine.wait(id, 5_000))?.state).toBe('completed');
    expect(received.filter((r) => r.service === 'payment').map((r) => r.key)).toEqual([`${id}/charge/action`, `${id}/charge/action`]);
  });
});

describe('a service whose saga steps are handler classes', () => {
  const host = () => ({
    name: 'orders' as const,
    port: 0,
    discovery: 'dns' as const,
    components: [],
    routes: [],
    resources: {},
    clients: () => ({}),
    handlers: { operations: () => ({}), sagas: () => ({ placeOrder: new OrderSteps() }) },
    sagas: (_ctx: unknown, handlers: { placeOrder: OrderSteps }) => [orderSaga(handlers.placeOrder)],
  });

  it('builds them with handlers.sagas, which start options override, and warns once that memory forgets', async () => {
    const mine = new OrderSteps();
    const log = captureLogger('orders');
    shop.payment.answer = () => ({ status: 402, body: { error: 'payment_required', message: 'no' } });
    const opened = await openService(host(), { env: {}, logger: log.logger, handlers: { sagas: () => ({ placeOrder: mine }) } });
    try {
      const { id } = await opened.sagas[0].start({ orderId: 'o-4', total: 1 });
      expect((await opened.sagas[0].wait(id, 5_000))?.state).toBe('compensated');
      expect(mine.seen).toEqual(['release inventory-o-4']);
      const warnings = log.lines().filter((l) => l.level === 40 && String(l.msg).includes('memory'));
      expect(warnings.map((l) => l.msg)).toEqual([
        'orders keeps its sagas (place-order) in memory: a restart forgets the sagas running then (give orders `database: postgres` to keep them)',
      ]);
    } finally {
      await opened.close();
    }
  });

  it('refuses to start hosting sagas without handlers.sagas', async () => {
    const { handlers, ...rest } = host();
    await expect(openService({ ...rest, handlers: { operations: handlers.operations } }, { env: {}, logger: captureLogger('orders').logger })).rejects.toThrow(
      'orders hosts sagas but was given no `handlers.sagas` to build their steps',
    );
  });
});
