/**
 * The saga engine on the in-memory store, its steps calling real HTTP servers through the
 * runtime's ServiceCaller (so 4xx, 5xx, timeouts and refused connections are real): the happy
 * path, compensations in reverse order, retries with the same idempotency key, a stuck saga and
 * its retry, idempotent starts, a saga handed over between engines, and the HTTP routes.
 */
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { createSagaEngine, defineService, memorySagaStore, sagaRoutes, StepFailed, type HttpReply, type RouteDef, type SagaEngine, type SagaStore, type SagaView } from '../src/index.js';
import { openService, serviceApp } from '../src/service/service.js';
import { captureLogger } from './helpers.js';
import { callerOf, defaultAnswer, handOverCase, orderSaga, sagaHost, received, sleep, startShop, trail, type Callee, type Callers, type Shop, type Order } from './saga-helpers.js';

const SETTINGS: Record<string, string> = { SAGA_RETRY_DELAYS: '50ms,50ms', SAGA_LEASE_MS: '1000' };

let shop: Shop;
let inventory: Callee;
let payment: Callee;
let shipping: Callee;
let callers: Callers;
const engines: SagaEngine<Order>[] = [];

beforeAll(async () => {
  shop = await startShop();
  ({ inventory, payment, shipping, callers } = shop);
});

afterAll(async () => {
  await shop.close();
});

beforeEach(() => shop.reset());

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function engineOf(options: { store?: SagaStore; settings?: Record<string, string>; owner?: string; definition?: ReturnType<typeof orderSaga> } = {}): Promise<SagaEngine<Order>> {
  const settings = { ...SETTINGS, ...options.settings };
  const engine = createSagaEngine({
    definition: options.definition ?? orderSaga(() => callers),
    store: options.store ?? memorySagaStore(),
    logger: captureLogger('saga').logger,
    setting: (name) => settings[name],
    ...(options.owner ? { owner: options.owner } : {}),
  });
  await engine.open();
  engines.push(engine);
  return engine;
}

async function settled(engine: SagaEngine<Order>, id: string, ms = 5_000): Promise<SagaView> {
  const view = await engine.wait(id, ms);
  if (!view) throw new Error(`no saga ${id}`);
  return view;
}

const stateOf = (view: SagaView) => Object.fromEntries(view.steps.map((s) => [s.name, s.state]));
const events = (view: SagaView) => view.history.map((h) => (h.step ? `${h.event} ${h.step}` : h.event));

describe('the saga engine', () => {
  it('runs the steps in order, each call carrying its idempotency key, and completes', async () => {
    const engine = await engineOf();
    const started = await engine.start({ orderId: 'o-1', total: 30 });
    expect(started).toMatchObject({ saga: 'place-order', state: 'running' });
    const view = await settled(engine, started.id);
    expect(view.state).toBe('completed');
    expect(stateOf(view)).toEqual({ reserve: 'succeeded', charge: 'succeeded', ship: 'succeeded' });
    const id = started.id;
    expect(trail()).toEqual([
      `inventory POST /reservations ${id}/reserve/action`,
      `payment POST /payments ${id}/charge/action`,
      `shipping POST /shipments ${id}/ship/action`,
    ]);
    // A later step sees what an earlier one returned.
    expect(received[1].body).toEqual({ orderId: 'o-1', total: 30, reservation: 'inventory-o-1' });
    expect(events(view)).toEqual(['started', 'step-succeeded reserve', 'step-succeeded charge', 'step-succeeded ship', 'completed']);
    expect(view.history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
  });

  it('a step answered 409 fails at once, and the earlier steps are compensated in reverse order', async () => {
    shipping.answer = () => ({ status: 409, body: { error: 'conflict', message: 'no courier' } });
    const engine = await engineOf();
    const { id } = await engine.start({ orderId: 'o-2', total: 10 });
    const view = await settled(engine, id);
    expect(view.state).toBe('compensated');
    expect(stateOf(view)).toEqual({ reserve: 'compensated', charge: 'compensated', ship: 'failed' });
    expect(trail()).toEqual([
      `inventory POST /reservations ${id}/reserve/action`,
      `payment POST /payments ${id}/charge/action`,
      `shipping POST /shipments ${id}/ship/action`,
      `payment POST /payments/payment-o-2/refund ${id}/charge/compensation`,
      `inventory DELETE /reservations/inventory-o-2 ${id}/reserve/compensation`,
    ]);
    const failed = view.history.find((h) => h.event === 'step-failed');
    expect(failed).toMatchObject({ step: 'ship', error: 'shipping.ship answered 409: no courier' });
    expect(events(view).slice(-3)).toEqual(['compensation-succeeded charge', 'compensation-succeeded reserve', 'compensated']);
  });

  it('an undeclared 4xx (a CallError) and a StepFailed thrown by the step are permanent too', async () => {
    payment.answer = () => ({ status: 422, body: { error: 'unprocessable_entity', message: 'card expired' } });
    const engine = await engineOf();
    const { id } = await engine.start({ orderId: 'o-3', total: 10 });
    expect((await settled(engine, id)).state).toBe('compensated');
    expect(received.filter((r) => r.service === 'payment' && r.method === 'POST' && !r.url.endsWith('/refund'))).toHaveLength(1);

    received.length = 0;
    const definition = orderSaga(() => callers, 'refusing');
    const refusing = await engineOf({
      definition: {
        ...definition,
        steps: [definition.steps[0], { name: 'check', action: async () => Promise.reject(new StepFailed('the order is over the limit')) }],
      },
    });
    const second = await refusing.start({ orderId: 'o-4', total: 1e9 });
    const view = await settled(refusing, second.id);
    expect(view.state).toBe('compensated');
    expect(view.history.find((h) => h.event === 'step-failed')).toMatchObject({ step: 'check', error: 'the order is over the limit' });
    expect(trail()).toEqual([`inventory POST /reservations ${second.id}/reserve/action`, `inventory DELETE /reservations/inventory-o-4 ${second.id}/reserve/compensation`]);
  });

  it('retries a 503 and a timeout after SAGA_RETRY_DELAYS with the same idempotency key, then goes on', async () => {
    payment.answer = (req, n) => {
      if (n === 1) return { status: 503, body: { error: 'unavailable', message: 'busy' } };
      if (n === 2) return { status: 201, body: { id: 'late' }, delayMs: 600 }; // beyond the caller's 300 ms timeout
      return defaultAnswer('payment')(req, n);
    };
    const engine = await engineOf();
    const { id } = await engine.start({ orderId: 'o-5', total: 7 });
    const view = await settled(engine, id);
    expect(view.state).toBe('completed');
    const charges = received.filter((r) => r.service === 'payment');
    expect(charges.map((r) => r.key)).toEqual([`${id}/charge/action`, `${id}/charge/action`, `${id}/charge/action`]);
    const retries = view.history.filter((h) => h.event === 'step-retrying');
    expect(retries.map((h) => h.error)).toEqual(['payment.charge answered 503, which the spec does not declare', 'payment.charge timed out after 300ms']);
    expect(stateOf(view)).toEqual({ reserve: 'succeeded', charge: 'succeeded', ship: 'succeeded' });
  });

  it("retries a callee's 409 idempotency_key_in_use (declared or not), which is no refusal", async () => {
    const inUse = { status: 409, body: { error: 'idempotency_key_in_use', message: 'an earlier request with this key is still being handled' } };
    inventory.answer = (req, n) => (n === 1 ? inUse : defaultAnswer('inventory')(req, n));
    // charge does not declare 409: the CallError keeps no body, and is retried too.
    payment.answer = (req, n) => (n === 1 ? inUse : defaultAnswer('payment')(req, n));
    const engine = await engineOf();
    const { id } = await engine.start({ orderId: 'o-10', total: 7 });
    const view = await settled(engine, id);
    expect(view.state).toBe('completed');
    expect(trail()).toEqual([
      `inventory POST /reservations ${id}/reserve/action`,
      `inventory POST /reservations ${id}/reserve/action`,
      `payment POST /payments ${id}/charge/action`,
      `payment POST /payments ${id}/charge/action`,
      `shipping POST /shipments ${id}/ship/action`,
    ]);
    expect(view.history.filter((h) => h.event === 'step-retrying').map((h) => h.error)).toEqual([
      'inventory.reserve answered 409: an earlier request with this key is still being handled',
      'payment.charge answered 409, which the spec does not declare',
    ]);
  });

  it('against a runtime service that records Idempotency-Keys, a charge retried after a timeout runs its handler once', async () => {
    let charges = 0;
    const routes: RouteDef<{ charge(): Promise<HttpReply> }>[] = [{ operation: 'charge', method: 'POST', url: '/payments', schema: {} }];
    const paymentService = await defineService({
      name: 'payment',
      port: 0,
      discovery: 'dns',
      components: [],
      routes,
      resources: {},
      clients: () => ({}),
      handlers: {
        operations: () => ({
          async charge() {
            // The first (and only) run outlasts the caller's 300 ms timeout.
            if (++charges === 1) await sleep(600);
            return { status: 201, body: { id: `payment-${charges}` } };
          },
        }),
      },
    }).run({ logger: captureLogger('payment').logger });
    try {
      const engine = await engineOf({
        settings: { SAGA_RETRY_DELAYS: '300ms,300ms,300ms' },
        definition: orderSaga(() => ({ ...callers, payment: callerOf('payment', paymentService.url) })),
      });
      const { id } = await engine.start({ orderId: 'o-11', total: 7 });
      const view = await settled(engine, id);
      expect(view.state).toBe('completed');
      expect(charges).toBe(1);
      expect(view.history.find((h) => h.event === 'step-retrying')).toMatchObject({ step: 'charge', error: 'payment.charge timed out after 300ms' });
      // The recorded answer of the one run reached the saga.
      expect(received.find((r) => r.service === 'shipping')?.key).toBe(`${id}/ship/action`);
    } finally {
      await paymentService.stop();
    }
  });

  it('a step whose retries run out (connection refused) fails, and the saga is compensated', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const engine = await engineOf({ definition: orderSaga(() => ({ ...callers, payment: callerOf('payment', dead) })) });
    const started = Date.now();
    const { id } = await engine.start({ orderId: 'o-6', total: 7 });
    const view = await settled(engine, id);
    expect(view.state).toBe('compensated');
    expect(stateOf(view)).toEqual({ reserve: 'compensated', charge: 'failed', ship: 'skipped' });
    // One try and two retries, 50 ms apart.
    expect(view.history.filter((h) => h.event === 'step-retrying')).toHaveLength(2);
    expect(view.history.find((h) => h.event === 'step-failed')?.error).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('a compensation that keeps failing leaves the saga stuck; retry resumes it where it stopped', async () => {
    shipping.answer = () => ({ status: 409, body: { error: 'conflict', message: 'no courier' } });
    payment.answer = (req, n) => (req.url.endsWith('/refund') ? { status: 500, body: { error: 'internal', message: 'ledger down' } } : defaultAnswer('payment')(req, n));
    const engine = await engineOf();
    const { id } = await engine.start({ orderId: 'o-7', total: 3 });
    const stuck = await settled(engine, id);
    expect(stuck.state).toBe('stuck');
    expect(stateOf(stuck)).toEqual({ reserve: 'succeeded', charge: 'compensating', ship: 'failed' });
    expect(stuck.history.find((h) => h.event === 'compensation-failed')).toMatchObject({ step: 'charge', error: 'payment.refund answered 500, which the spec does not declare' });
    expect((await engine.list({ state: 'stuck' })).map((v) => v.id)).toEqual([id]);
    // The reservation was not released: its compensation comes after the refund's.
    expect(received.some((r) => r.method === 'DELETE')).toBe(false);

    payment.answer = defaultAnswer('payment');
    const retried = await engine.retry(id);
    expect(retried.state).toBe('compensating');
    const view = await settled(engine, id);
    expect(view.state).toBe('compensated');
    expect(stateOf(view)).toEqual({ reserve: 'compensated', charge: 'compensated', ship: 'failed' });
    const refunds = received.filter((r) => r.url.endsWith('/refund'));
    expect(refunds).toHaveLength(4); // three before it was stuck, one after the retry
    expect(new Set(refunds.map((r) => r.key))).toEqual(new Set([`${id}/charge/compensation`]));
    expect(events(view)).toContain('retried');
    await expect(engine.retry(id)).rejects.toMatchObject({ status: 409 });
    await expect(engine.retry('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('a start with an idempotency key already used returns the saga it started', async () => {
    const engine = await engineOf();
    const first = await engine.start({ orderId: 'o-8', total: 1 }, { idempotencyKey: 'k-1' });
    const again = await engine.start({ orderId: 'o-8', total: 1 }, { idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    const other = await engine.start({ orderId: 'o-8', total: 1 }, { idempotencyKey: 'k-2' });
    expect(other.id).not.toBe(first.id);
    await settled(engine, first.id);
    await settled(engine, other.id);
    expect(received.filter((r) => r.service === 'inventory')).toHaveLength(2);
  });

  it('an engine that stops mid-saga hands it over; another owner resumes it with the same idempotency key', async () => {
    const store = memorySagaStore();
    await handOverCase(shop, (owner, definition) => engineOf({ store, owner, definition }));
  });
});

describe('the saga routes', () => {
  async function appOf() {
    const engine = await engineOf();
    const app = Fastify();
    await app.register(sagaRoutes, { engines: [engine] });
    return { app, engine };
  }

  it('starts a saga (202), waits for its outcome with ?wait (200), and shows it', async () => {
    const { app, engine } = await appOf();
    const started = await app.inject({ method: 'POST', url: '/sagas/place-order', payload: { orderId: 'h-1', total: 5 } });
    expect(started.statusCode).toBe(202);
    const body = started.json<{ id: string; saga: string; state: string }>();
    expect(body).toEqual({ id: expect.any(String), saga: 'place-order', state: 'running' });
    await settled(engine, body.id);

    const shown = await app.inject({ method: 'GET', url: `/sagas/place-order/${body.id}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ id: body.id, saga: 'place-order', state: 'completed', steps: [{ name: 'reserve', state: 'succeeded' }, { name: 'charge', state: 'succeeded' }, { name: 'ship', state: 'succeeded' }] });
    expect(shown.json<SagaView>().history.at(-1)?.event).toBe('completed');

    const waited = await app.inject({ method: 'POST', url: '/sagas/place-order?wait=5s', payload: { orderId: 'h-2', total: 5 } });
    expect(waited.statusCode).toBe(200);
    expect(waited.json()).toMatchObject({ saga: 'place-order', state: 'completed', steps: [{ state: 'succeeded' }, { state: 'succeeded' }, { state: 'succeeded' }] });

    // A wait shorter than the saga: 202 with the state it is in.
    payment.answer = (req, n) => ({ ...(defaultAnswer('payment')(req, n) as { status: number; body: unknown }), delayMs: 200 });
    const early = await app.inject({ method: 'POST', url: '/sagas/place-order?wait=50ms', payload: { orderId: 'h-3', total: 5 } });
    expect(early.statusCode).toBe(202);
    expect(early.json()).toEqual({ id: expect.any(String), saga: 'place-order', state: 'running' });
    await settled(engine, early.json<{ id: string }>().id);
    await app.close();
  });

  it('answers a repeated Idempotency-Key with the saga it started', async () => {
    const { app, engine } = await appOf();
    const post = () => app.inject({ method: 'POST', url: '/sagas/place-order', headers: { 'idempotency-key': 'req-42' }, payload: { orderId: 'h-4', total: 1 } });
    const a = (await post()).json<{ id: string }>();
    await settled(engine, a.id);
    const b = await post();
    expect(b.statusCode).toBe(202);
    expect(b.json()).toEqual({ id: a.id, saga: 'place-order', state: 'completed' });
    expect(received.filter((r) => r.service === 'inventory')).toHaveLength(1);
    await app.close();
  });

  it('lists stuck sagas, retries one (202) and refuses to retry one that is not stuck (409)', async () => {
    const { app, engine } = await appOf();
    shipping.answer = () => ({ status: 409, body: { error: 'conflict', message: 'no courier' } });
    payment.answer = (req, n) => (req.url.endsWith('/refund') ? { status: 500 } : defaultAnswer('payment')(req, n));
    const stuck = (await app.inject({ method: 'POST', url: '/sagas/place-order?wait=5s', payload: { orderId: 'h-5', total: 1 } })).json<SagaView>();
    expect(stuck.state).toBe('stuck');

    const list = await app.inject({ method: 'GET', url: '/sagas/place-order?state=stuck' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([{ id: stuck.id, saga: 'place-order', state: 'stuck' }]);
    expect((await app.inject({ method: 'GET', url: '/sagas/place-order?state=completed' })).json()).toEqual([]);

    payment.answer = defaultAnswer('payment');
    const retried = await app.inject({ method: 'POST', url: `/sagas/place-order/${stuck.id}/retry` });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ id: stuck.id, saga: 'place-order', state: 'compensating' });
    expect((await settled(engine, stuck.id)).state).toBe('compensated');

    const again = await app.inject({ method: 'POST', url: `/sagas/place-order/${stuck.id}/retry` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: 'conflict', message: `saga ${stuck.id} is compensated: only a stuck saga can be retried` });
    await app.close();
  });

  it('answers 404 for an unknown saga or id and 400 for a bad input or wait, in the Error shape', async () => {
    const { app } = await appOf();
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/sagas/place-order/no-such-id', undefined, 404, 'there is no place-order saga no-such-id'],
      ['POST', '/sagas/place-order/no-such-id/retry', undefined, 404, 'there is no place-order saga no-such-id'],
      ['GET', '/sagas/cancel-order/x', undefined, 404, 'there is no saga cancel-order here (sagas: place-order)'],
      ['POST', '/sagas/cancel-order', {}, 404, 'there is no saga cancel-order here (sagas: place-order)'],
      ['GET', '/sagas/cancel-order', undefined, 404, 'there is no saga cancel-order here (sagas: place-order)'],
      ['POST', '/sagas/place-order', { orderId: 'x' }, 400, "body must have required property 'total'"],
      ['POST', '/sagas/place-order?wait=soon', { orderId: 'x', total: 1 }, 400, 'wait: "soon" is not a duration like 500ms or 5s, of at most 5m'],
      ['GET', '/sagas/place-order?state=lost', undefined, 400, 'querystring/state must be equal to one of the allowed values'],
    ];
    for (const [method, url, payload, status, message] of cases) {
      const res = await app.inject({ method: method as 'GET' | 'POST', url, ...(payload !== undefined ? { payload: payload as object } : {}) });
      expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status, body: { error: status === 404 ? 'not_found' : 'bad_request', message } });
    }
    // The bad requests started nothing.
    expect(received.filter((r) => r.service === 'inventory')).toHaveLength(0);
    await app.close();
  });
});

describe('a service that hosts sagas', () => {
  it('opens their engines as resources and serves their routes beside its own', async () => {
    const opened = await openService(
      sagaHost({}, () => [orderSaga(() => callers)]),
      { env: { ORDERS_SAGA_RETRY_DELAYS: 'none' }, logger: captureLogger('orders').logger },
    );
    const app = serviceApp({ components: [], routes: [] }, opened);
    try {
      expect(opened.resources.map((r) => r.name)).toEqual(['saga place-order']);
      const done = await app.inject({ method: 'POST', url: '/sagas/place-order?wait=5s', payload: { orderId: 's-1', total: 2 } });
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ saga: 'place-order', state: 'completed' });
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toEqual({ status: 'ok', checks: { 'saga place-order': 'up' } });
      expect((await app.inject({ method: 'GET', url: '/sagas/nope/1' })).json()).toEqual({ error: 'not_found', message: 'there is no saga nope here (sagas: place-order)' });
    } finally {
      await app.close();
      await opened.close();
    }
  });
});
