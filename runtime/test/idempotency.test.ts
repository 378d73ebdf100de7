/**
 * `Idempotency-Key` on a real service without PostgreSQL (the in-memory store), and the caller
 * that sends one: a repeated key runs the handler once and replays its answer; a key still being
 * handled is a 409, one used for another request a 422; a 5xx is not recorded, a 4xx is; safe
 * methods ignore the header; records expire; the store is bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer, type TestServer } from '../../tests/helpers/service-process.js';
import { defineService, fixedEndpoint, HttpError, memoryIdempotencyStore, ServiceCaller, StartError, type CallPolicy, type ClientOperation, type OperationRequest, type RouteDef } from '../src/index.js';
import { captureLogger } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Handlers that count their calls. */
class Operations {
  readonly calls: Record<string, number> = {};
  private count(name: string): number {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    return this.calls[name];
  }
  async create(request: OperationRequest): Promise<{ status: 201; body: { id: number; item: string; internal?: string } }> {
    const id = this.count('create');
    const { item, delayMs } = request.body as { item: string; delayMs?: number };
    if (delayMs) await sleep(delayMs);
    // Not in the response schema of POST /orders: serialised away, whether recorded or not.
    return { status: 201, body: { id, item, internal: 'x' } };
  }
  async flaky(): Promise<{ status: 201; body: { ok: true } }> {
    if (this.count('flaky') === 1) throw new Error('the disk is full');
    return { status: 201, body: { ok: true } };
  }
  async unavailable(): Promise<{ status: 503; body: { error: string; message: string } }> {
    this.count('unavailable');
    return { status: 503, body: { error: 'unavailable', message: 'try later' } };
  }
  async refuse(): Promise<{ status: 201 }> {
    this.count('refuse');
    throw new HttpError(409, 'sold out');
  }
  async read(): Promise<{ status: 200; body: { n: number } }> {
    return { status: 200, body: { n: this.count('read') } };
  }
  async remove(): Promise<{ status: 204 }> {
    this.count('remove');
    return { status: 204 };
  }
}

const ROUTES: RouteDef<Operations>[] = [
  {
    operation: 'create',
    method: 'POST',
    url: '/orders',
    schema: { response: { 201: { type: 'object', properties: { id: { type: 'integer' }, item: { type: 'string' } } } } },
  },
  { operation: 'create', method: 'PUT', url: '/orders/:id', schema: {} },
  { operation: 'flaky', method: 'POST', url: '/flaky', schema: {} },
  { operation: 'unavailable', method: 'POST', url: '/unavailable', schema: {} },
  { operation: 'refuse', method: 'POST', url: '/refuse', schema: {} },
  { operation: 'read', method: 'GET', url: '/orders', schema: {} },
  { operation: 'remove', method: 'DELETE', url: '/orders/:id', schema: {} },
];

const running: { stop(): Promise<void> }[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function start(env: NodeJS.ProcessEnv = {}) {
  let operations!: Operations;
  const service = defineService({
    name: 'orders',
    port: 0,
    discovery: 'dns',
    components: [],
    routes: ROUTES,
    resources: {},
    clients: () => ({}),
    handlers: { operations: () => (operations = new Operations()) },
  });
  const svc = await service.run({ env, logger: captureLogger('orders').logger });
  running.push(svc);
  return { url: svc.url, calls: operations.calls };
}

function send(url: string, { method = 'POST', key, body }: { method?: string; key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['idempotency-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe('a service answering Idempotency-Key', () => {
  it('runs the handler once for a repeated key and replays its status, type and body', async () => {
    const { url, calls } = await start();
    const first = await send(`${url}/orders`, { key: 'saga-1/reserve/action', body: { item: 'lamp' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();
    expect(JSON.parse(firstBody)).toEqual({ id: 1, item: 'lamp' });

    // The same body with its keys in another order is the same request.
    const again = await fetch(`${url}/orders`, { method: 'POST', headers: { 'idempotency-key': 'saga-1/reserve/action', 'content-type': 'application/json' }, body: '{ "item": "lamp" }' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('x-request-id')).toBeTruthy();
    expect(await again.text()).toBe(firstBody);
    expect(calls.create).toBe(1);

    // Another key is another request.
    const other = await send(`${url}/orders`, { key: 'saga-2/reserve/action', body: { item: 'lamp' } });
    expect(await other.json()).toEqual({ id: 2, item: 'lamp' });
    expect(calls.create).toBe(2);
  });

  it('answers a key still being handled with one 409, and replays once the first is done', async () => {
    const { url, calls } = await start();
    const request = { key: 'k-busy', body: { item: 'desk', delayMs: 300 } };
    const [a, b] = await Promise.all([send(`${url}/orders`, request), sleep(50).then(() => send(`${url}/orders`, request))]);
    expect([a.status, b.status]).toEqual([201, 409]);
    expect(await b.json()).toEqual({ error: 'idempotency_key_in_use', message: 'a request with this Idempotency-Key is still being handled; retry it later' });
    const later = await send(`${url}/orders`, request);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(await later.json()).toEqual(await a.json());
    expect(calls.create).toBe(1);
  });

  it('answers a key used for another body, URL or method with 422, running nothing', async () => {
    const { url, calls } = await start();
    expect((await send(`${url}/orders`, { key: 'k-1', body: { item: 'lamp' } })).status).toBe(201);
    for (const [path, method, body] of [
      ['/orders', 'POST', { item: 'sofa' }],
      ['/orders/7', 'PUT', { item: 'lamp' }],
      ['/orders/7', 'DELETE', undefined],
    ] as const) {
      const res = await send(`${url}${path}`, { method, key: 'k-1', body });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: 'idempotency_key_reused', message: 'this Idempotency-Key was used for another request (another method, URL or body)' });
    }
    expect(calls).toEqual({ create: 1 });
    // Path parameters are part of the request.
    expect((await send(`${url}/orders/1`, { method: 'PUT', key: 'k-2', body: { item: 'x' } })).status).toBe(201);
    expect((await send(`${url}/orders/2`, { method: 'PUT', key: 'k-2', body: { item: 'x' } })).status).toBe(422);
  });

  it('does not record a 5xx, thrown or returned, so a retry runs the handler again', async () => {
    const { url, calls } = await start();
    const crashed = await send(`${url}/flaky`, { key: 'k-flaky' });
    expect(crashed.status).toBe(500);
    const retried = await send(`${url}/flaky`, { key: 'k-flaky' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await send(`${url}/flaky`, { key: 'k-flaky' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(calls.flaky).toBe(2);

    for (let i = 0; i < 2; i++) expect((await send(`${url}/unavailable`, { key: 'k-503' })).status).toBe(503);
    expect(calls.unavailable).toBe(2);
  });

  it('records a 4xx: a refused request stays refused without running again', async () => {
    const { url, calls } = await start();
    const first = await send(`${url}/refuse`, { key: 'k-refuse' });
    expect(first.status).toBe(409);
    const again = await send(`${url}/refuse`, { key: 'k-refuse' });
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ error: 'conflict', message: 'sold out' });
    expect(calls.refuse).toBe(1);
  });

  it('replays an answer without a body', async () => {
    const { url, calls } = await start();
    for (let i = 0; i < 2; i++) {
      const res = await send(`${url}/orders/3`, { method: 'DELETE', key: 'k-del' });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
    }
    expect(calls.remove).toBe(1);
  });

  it('ignores the header on GET', async () => {
    const { url, calls } = await start();
    const a = await send(`${url}/orders`, { method: 'GET', key: 'k-get' });
    const b = await send(`${url}/orders`, { method: 'GET', key: 'k-get' });
    expect(await a.json()).toEqual({ n: 1 });
    expect(await b.json()).toEqual({ n: 2 });
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(calls.read).toBe(2);
  });

  it('answers a key longer than 255 characters with 400, and takes one of 255', async () => {
    const { url, calls } = await start();
    const long = await send(`${url}/orders`, { key: 'k'.repeat(256), body: { item: 'lamp' } });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ error: 'bad_request', message: 'Idempotency-Key must be 1 to 255 characters long' });
    expect((await send(`${url}/orders`, { key: 'k'.repeat(255), body: { item: 'lamp' } })).status).toBe(201);
    expect(calls.create).toBe(1);
  });

  it('forgets a key after IDEMPOTENCY_TTL', async () => {
    const { url, calls } = await start({ IDEMPOTENCY_TTL: '300ms' });
    await send(`${url}/orders`, { key: 'k-ttl', body: { item: 'lamp' } });
    expect((await send(`${url}/orders`, { key: 'k-ttl', body: { item: 'lamp' } })).headers.get('idempotent-replayed')).toBe('true');
    await sleep(400);
    const after = await send(`${url}/orders`, { key: 'k-ttl', body: { item: 'lamp' } });
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(await after.json()).toEqual({ id: 2, item: 'lamp' });
    expect(calls.create).toBe(2);
  });

  it('refuses to start with a malformed IDEMPOTENCY_TTL', async () => {
    await expect(start({ IDEMPOTENCY_TTL: 'a day' })).rejects.toThrow(StartError);
    await expect(start({ IDEMPOTENCY_TTL: 'a day' })).rejects.toThrow('IDEMPOTENCY_TTL: "a day" is not a duration like 30m or 24h');
  });
});

describe('the in-memory store', () => {
  const answer = { status: 201, contentType: 'application/json', body: '{}' };

  it('keeps the newest `limit` answers, the oldest going first', async () => {
    const store = memoryIdempotencyStore({ ttlMs: 60_000, limit: 3 });
    for (const key of ['a', 'b', 'c', 'd']) {
      const outcome = await store.claim(key, 'f');
      if (outcome.kind !== 'claimed') throw new Error(`${key} was ${outcome.kind}`);
      await outcome.claim.complete(answer);
    }
    expect((await store.claim('b', 'f')).kind).toBe('replay');
    expect((await store.claim('d', 'f')).kind).toBe('replay');
    expect((await store.claim('a', 'f')).kind).toBe('claimed');
  });

  it('frees a key whose claim was released', async () => {
    const store = memoryIdempotencyStore({ ttlMs: 60_000 });
    const first = await store.claim('k', 'f');
    expect((await store.claim('k', 'f')).kind).toBe('in-progress');
    expect((await store.claim('k', 'g')).kind).toBe('mismatch');
    if (first.kind === 'claimed') await first.claim.release();
    expect((await store.claim('k', 'f')).kind).toBe('claimed');
  });
});

describe('ServiceCaller with an Idempotency-Key', () => {
  const POST: ClientOperation = { name: 'createOrder', method: 'POST', path: '/orders', statuses: [201] };
  const policy = (timeoutMs: number, minMs: number, attempts = 4): CallPolicy => ({
    timeoutMs,
    retry: { attempts, backoff: 'fixed', minMs, maxMs: minMs },
    breaker: { failMax: 100, resetTimeoutMs: 1_000 },
  });
  const callerOf = (url: string, p: CallPolicy) => new ServiceCaller('orders', p, fixedEndpoint(url), captureLogger().logger);

  it('retries a POST that reached the callee, with the same key on every attempt', async () => {
    let n = 0;
    const server = await recordingServer((_, res) => (++n < 3 ? json(res, 503) : json(res, 201, { id: 1 })));
    servers.push(server);
    const reply = await callerOf(server.url, policy(1_000, 20)).call(POST, { body: { item: 'lamp' }, headers: { 'Idempotency-Key': 'saga-9/reserve/action' } });
    expect(reply).toEqual({ status: 201, body: { id: 1 } });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['saga-9/reserve/action', 'saga-9/reserve/action', 'saga-9/reserve/action']);
    // Without a key, the same POST is tried once.
    n = 0;
    await expect(callerOf(server.url, policy(1_000, 20)).call(POST, { body: { item: 'lamp' } })).rejects.toMatchObject({ reason: 'bad-status' });
    expect(server.requests).toHaveLength(4);
  });

  it('gets the answer of a slow first attempt through the timeout and the 409 that follow it, the handler running once', async () => {
    const { url, calls } = await start();
    // Attempt 1 times out at 150 ms while the handler runs to 400 ms; attempt 2 (about 250 ms)
    // meets the claim (409); a later one gets the recorded answer.
    const reply = await callerOf(url, policy(150, 100, 8)).call(POST, { body: { item: 'lamp', delayMs: 400 }, headers: { 'idempotency-key': 'saga-3/pay/action' } });
    expect(reply).toEqual({ status: 201, body: { id: 1, item: 'lamp' } });
    expect(calls.create).toBe(1);
  });
});
