/**
 * The HTTP client policies against real local servers: declared replies, retries and their
 * timing, which methods are retried, the circuit breaker's open → half-open → closed cycle,
 * timeouts, undeclared statuses and fallbacks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, recordingServer, freePort, type TestServer } from '../../tests/helpers/service-process.js';
import { CallError, fixedEndpoint, retryDelay, ServiceCaller, type CallPolicy, type ClientOperation } from '../src/index.js';
import { captureLogger } from './helpers.js';

const GET: ClientOperation = { name: 'getThing', method: 'GET', path: '/things/{id}', statuses: [200, 404] };
const POST: ClientOperation = { name: 'makeThing', method: 'POST', path: '/things', statuses: [201] };

const policy = (over: Partial<CallPolicy> = {}): CallPolicy => ({
  timeoutMs: 1_000,
  retry: { attempts: 3, backoff: 'fixed', minMs: 20, maxMs: 20 },
  breaker: { failMax: 100, resetTimeoutMs: 1_000 },
  ...over,
});

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function callee(answer: (n: number, url: string) => [number, unknown?]) {
  let n = 0;
  const server = await recordingServer((req, res) => {
    const [status, body] = answer(++n, req.url);
    json(res, status, body);
  });
  servers.push(server);
  return server;
}

const callerOf = (url: string, p: CallPolicy = policy()) => new ServiceCaller('things', p, fixedEndpoint(url), captureLogger().logger);

describe('ServiceCaller', () => {
  it('sends the path with encoded parameters, the query, the body and the request id', async () => {
    const server = await callee(() => [201, { ok: true }]);
    const reply = await callerOf(server.url).call({ ...POST, path: '/things/{id}/x' }, { params: { id: 'a/b c' }, query: { tag: ['x', 'y'], skip: undefined }, body: { name: 'n' }, requestId: 'req-1' });
    expect(reply).toEqual({ status: 201, body: { ok: true } });
    const [req] = server.requests;
    expect(req.url).toBe('/things/a%2Fb%20c/x?tag=x&tag=y');
    expect(JSON.parse(req.body)).toEqual({ name: 'n' });
    expect(req.headers['x-request-id']).toBe('req-1');
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('returns a declared 4xx as a reply, not a failure', async () => {
    const server = await callee(() => [404, { error: 'not_found', message: 'no' }]);
    expect(await callerOf(server.url).call(GET, { params: { id: 1 } })).toEqual({ status: 404, body: { error: 'not_found', message: 'no' } });
    expect(server.requests).toHaveLength(1);
  });

  it('retries an idempotent call on 5xx, waiting the backoff between attempts', async () => {
    const server = await callee((n) => (n < 3 ? [503] : [200, { id: 1 }]));
    const reply = await callerOf(server.url, policy({ retry: { attempts: 3, backoff: 'fixed', minMs: 100, maxMs: 200 } })).call(GET, { params: { id: 1 } });
    expect(reply.status).toBe(200);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i].at);
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(95);
      expect(gap).toBeLessThan(200);
    }
  });

  it('gives up after `attempts` tries with a bad-status CallError', async () => {
    const server = await callee(() => [500]);
    const error = await callerOf(server.url).call(GET, { params: { id: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ service: 'things', operation: 'getThing', reason: 'bad-status', status: 500 });
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a POST that reached the callee, but does retry one that could not connect', async () => {
    const server = await callee(() => [503]);
    await expect(callerOf(server.url).call(POST, { body: {} })).rejects.toMatchObject({ reason: 'bad-status' });
    expect(server.requests).toHaveLength(1);

    const port = await freePort();
    const started = Date.now();
    const refused = await callerOf(`http://127.0.0.1:${port}`).call(POST, { body: {} }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'network' });
    // Three attempts, two backoffs of 20 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('times an attempt out after the policy timeout', async () => {
    const server = await recordingServer(() => undefined); // never answers
    servers.push(server);
    const started = Date.now();
    const error = await callerOf(server.url, policy({ timeoutMs: 150, retry: { attempts: 1, backoff: 'fixed', minMs: 0, maxMs: 0 } }))
      .call(GET, { params: { id: 1 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout', message: 'things.getThing timed out after 150ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as CallError).replyStatus).toBe(504);
  });

  it('opens the breaker after failMax failures, fails fast while open, half-opens after resetTimeout and closes on success', async () => {
    let healthy = false;
    const server = await callee(() => (healthy ? [200, { id: 1 }] : [500]));
    const caller = callerOf(server.url, policy({ retry: { attempts: 1, backoff: 'fixed', minMs: 0, maxMs: 0 }, breaker: { failMax: 3, resetTimeoutMs: 200 } }));
    for (let i = 0; i < 3; i++) await expect(caller.call(GET, { params: { id: 1 } })).rejects.toMatchObject({ reason: 'bad-status' });
    await expect(caller.call(GET, { params: { id: 1 } })).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(server.requests).toHaveLength(3);

    await new Promise((resolve) => setTimeout(resolve, 250));
    healthy = true;
    expect((await caller.call(GET, { params: { id: 1 } })).status).toBe(200);
    expect((await caller.call(GET, { params: { id: 1 } })).status).toBe(200);
    expect(server.requests).toHaveLength(5);
  });

  it('opens the breaker again when the half-open probe fails', async () => {
    const server = await callee(() => [500]);
    const caller = callerOf(server.url, policy({ retry: { attempts: 1, backoff: 'fixed', minMs: 0, maxMs: 0 }, breaker: { failMax: 2, resetTimeoutMs: 150 } }));
    for (let i = 0; i < 2; i++) await expect(caller.call(GET, { params: { id: 1 } })).rejects.toMatchObject({ reason: 'bad-status' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(caller.call(GET, { params: { id: 1 } })).rejects.toMatchObject({ reason: 'bad-status' });
    await expect(caller.call(GET, { params: { id: 1 } })).rejects.toMatchObject({ reason: 'breaker-open' });
    expect(server.requests).toHaveLength(3);
  });

  it('answers from the fallback when the call fails for good', async () => {
    const server = await callee(() => [500]);
    const reply = await callerOf(server.url).call(GET, { params: { id: 1 } }, async (error) => ({ status: 200 as const, body: { fallback: error.reason } }));
    expect(reply).toEqual({ status: 200, body: { fallback: 'bad-status' } });
  });
});

describe('retryDelay', () => {
  const exp = { attempts: 5, backoff: 'exponential' as const, minMs: 100, maxMs: 1_000 };
  it('doubles from min up to max, in the upper half of each step', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(exp, a, () => 0))).toEqual([100, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(exp, a, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('waits min plus up to 20% for fixed backoff, never above max', () => {
    const fixed = { attempts: 3, backoff: 'fixed' as const, minMs: 100, maxMs: 110 };
    expect(retryDelay(fixed, 1, () => 0)).toBe(100);
    expect(retryDelay(fixed, 2, () => 1)).toBe(110);
  });
});
