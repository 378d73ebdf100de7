/**
 * What the saga tests share: callees that are real Fastify servers on 127.0.0.1 (inventory,
 * payment, shipping) answering what each test scripts and recording every request with its
 * `Idempotency-Key`, and an order saga whose steps call them through the runtime's
 * `ServiceCaller`, as a generated saga host does.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { fixedEndpoint, ServiceCaller, type CallPolicy, type ClientOperation, type ClientRequest } from '../src/index.js';
import { expect } from 'vitest';
import { stepResult, type SagaDefinition, type StepRun } from '../src/saga/definition.js';
import type { SagaEngine } from '../src/saga/engine.js';
import type { ResourceFactories } from '../src/service/definition.js';
import { until } from './events-suite.js';
import { captureLogger } from './helpers.js';

export interface Order {
  readonly orderId: string;
  readonly total: number;
}

export const ORDER_SCHEMA = {
  type: 'object',
  properties: { orderId: { type: 'string' }, total: { type: 'number' } },
  required: ['orderId', 'total'],
  additionalProperties: false,
};

/** One request a callee received. */
export interface Received {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly key: string | undefined;
  readonly body: unknown;
}

/** What a callee answers to its n-th request: a status and a body, after an optional delay. */
export type Answer = (req: Received, n: number) => { status: number; body?: unknown; delayMs?: number } | Promise<{ status: number; body?: unknown; delayMs?: number }>;

export interface Callee {
  readonly url: string;
  answer: Answer;
  close(): Promise<void>;
}

/** Requests of all callees, in the order they arrived. */
export const received: Received[] = [];

export const ok =
  (status: number, body?: unknown): Answer =>
  () => ({ status, body });

/** The default answers: a reservation, a payment, a shipment; releases and refunds succeed. */
export function defaultAnswer(service: string): Answer {
  return (req) => {
    if (req.method === 'DELETE') return { status: 204 };
    if (req.url.endsWith('/refund')) return { status: 200, body: { refunded: true } };
    return { status: 201, body: { id: `${service}-${(req.body as Order).orderId}` } };
  };
}

export async function startCallee(service: string): Promise<Callee> {
  const app: FastifyInstance = Fastify();
  const callee = {
    url: '',
    answer: defaultAnswer(service),
    close: () => app.close(),
  };
  app.all('/*', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    const req: Received = { service, method: request.method, url: request.url, key: typeof key === 'string' ? key : undefined, body: request.body };
    received.push(req);
    // n: this callee's requests since the test began (`received` is emptied between tests).
    const n = received.filter((r) => r.service === service).length;
    const { status, body, delayMs } = await callee.answer(req, n);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return reply.code(status).send(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  callee.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return callee;
}

/** The engine retries; the caller itself tries once, with a short timeout. */
export const POLICY: CallPolicy = {
  timeoutMs: 300,
  retry: { attempts: 1, backoff: 'fixed', minMs: 10, maxMs: 10 },
  breaker: { failMax: 1000, resetTimeoutMs: 1000 },
};

const op = (name: string, method: string, path: string, statuses: number[]): ClientOperation => ({ name, method, path, statuses });
export const RESERVE = op('reserve', 'POST', '/reservations', [201, 409]);
export const RELEASE = op('release', 'DELETE', '/reservations/{id}', [204]);
export const CHARGE = op('charge', 'POST', '/payments', [201, 402]);
export const REFUND = op('refund', 'POST', '/payments/{id}/refund', [200]);
export const SHIP = op('ship', 'POST', '/shipments', [201, 409]);

export interface Callers {
  readonly inventory: ServiceCaller;
  readonly payment: ServiceCaller;
  readonly shipping: ServiceCaller;
}

export const callerOf = (service: string, url: string, policy: CallPolicy = POLICY): ServiceCaller => new ServiceCaller(service, policy, fixedEndpoint(url), captureLogger(service).logger);

/** A call with the step's idempotency key, as generated saga glue makes it. */
const send = async (caller: ServiceCaller, operation: ClientOperation, run: StepRun<Order>, request: ClientRequest): Promise<unknown> =>
  stepResult(await caller.call(operation, { ...request, idempotencyKey: run.idempotencyKey }), `${caller.service}.${operation.name}`);

const idOf = (result: unknown): string => (result as { id: string }).id;

/** reserve (release) → charge (refund) → ship. */
export function orderSaga(callers: () => Callers, name = 'place-order'): SagaDefinition<Order> {
  return {
    name,
    inputSchema: ORDER_SCHEMA,
    steps: [
      {
        name: 'reserve',
        action: (run) => send(callers().inventory, RESERVE, run, { body: run.input }),
        compensation: (run) => send(callers().inventory, RELEASE, run, { params: { id: idOf(run.results.reserve) } }),
      },
      {
        name: 'charge',
        action: (run) => send(callers().payment, CHARGE, run, { body: { ...run.input, reservation: idOf(run.results.reserve) } }),
        compensation: (run) => send(callers().payment, REFUND, run, { params: { id: idOf(run.results.charge) } }),
      },
      { name: 'ship', action: (run) => send(callers().shipping, SHIP, run, { body: run.input }) },
    ],
  };
}

/** The order saga's three callees and the callers its steps use. */
export interface Shop {
  readonly inventory: Callee;
  readonly payment: Callee;
  readonly shipping: Callee;
  readonly callers: Callers;
  /** Forgets the requests received and gives every callee its default answers back. */
  reset(): void;
  close(): Promise<void>;
}

export async function startShop(): Promise<Shop> {
  const [inventory, payment, shipping] = await Promise.all([startCallee('inventory'), startCallee('payment'), startCallee('shipping')]);
  const callees = { inventory, payment, shipping };
  return {
    ...callees,
    callers: { inventory: callerOf('inventory', inventory.url), payment: callerOf('payment', payment.url), shipping: callerOf('shipping', shipping.url) },
    reset() {
      received.length = 0;
      for (const [service, callee] of Object.entries(callees)) callee.answer = defaultAnswer(service);
    },
    close: async () => {
      await Promise.all(Object.values(callees).map((c) => c.close()));
    },
  };
}

/** A service `orders` with no routes of its own that hosts `sagas`. */
export const sagaHost = <R extends ResourceFactories>(resources: R, sagas: () => readonly SagaDefinition<Order>[]) => ({
  name: 'orders',
  port: 0,
  discovery: 'dns' as const,
  components: [],
  routes: [],
  resources,
  clients: () => ({}),
  handlers: { operations: () => ({}), sagas: () => ({}) },
  sagas,
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `SERVICE METHOD url key` of each request received, for comparing sequences. */
export const trail = (): string[] => received.map((r) => `${r.service} ${r.method} ${r.url} ${r.key ?? '-'}`);

/**
 * An engine stopped while a step's call is in flight records that step and gives the saga up;
 * another owner (`open` makes engines on one store) resumes it and calls nothing twice.
 */
export async function handOverCase(shop: Shop, open: (owner: string, definition: SagaDefinition<Order>) => Promise<SagaEngine<Order>>, name = 'place-order'): Promise<void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  shop.payment.answer = async (req, n) => {
    if (n === 1) await held;
    return defaultAnswer('payment')(req, n);
  };
  // A timeout longer than the hold: the first charge is in flight while the engine stops.
  const slow = { ...shop.callers, payment: callerOf('payment', shop.payment.url, { ...POLICY, timeoutMs: 5_000 }) };
  const first = await open('first', orderSaga(() => slow, name));
  const { id } = await first.start({ orderId: 'h-1', total: 1 });
  await until(() => received.some((r) => r.service === 'payment'), 5_000, 'the charge');
  const closing = first.close();
  release();
  await closing;
  expect((await first.get(id))?.state).toBe('running');

  const second = await open('second', orderSaga(() => shop.callers, name));
  const view = await second.wait(id, 10_000);
  expect(view?.state).toBe('completed');
  expect(view?.history.map((h) => h.event)).toContain('resumed');
  // The charge that finished while the first engine stopped was recorded; nothing ran twice.
  expect(trail()).toEqual([
    `inventory POST /reservations ${id}/reserve/action`,
    `payment POST /payments ${id}/charge/action`,
    `shipping POST /shipments ${id}/ship/action`,
  ]);
}
