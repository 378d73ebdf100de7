/**
 * What the saga tests share: callees that are real Fastify servers on 127.0.0.1 (inventory,
 * payment, shipping) answering what each test scripts and recording every request with its
 * `Idempotency-Key`, and an order saga whose steps call them through the runtime's
 * `ServiceCaller`, as a generated saga host does.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { fixedEndpoint, ServiceCaller, type CallPolicy, type ClientOperation, type ClientRequest } from '../src/index.js';
import { stepResult, type SagaDefinition, type StepRun } from '../src/saga/definition.js';
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
  stepResult(await caller.call(operation, { ...request, headers: { 'idempotency-key': run.idempotencyKey } }), `${caller.service}.${operation.name}`);

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

/** `SERVICE METHOD url key` of each request received, for comparing sequences. */
export const trail = (): string[] => received.map((r) => `${r.service} ${r.method} ${r.url} ${r.key ?? '-'}`);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
