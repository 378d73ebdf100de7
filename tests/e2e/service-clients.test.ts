/**
 * Generated clients against real local HTTP servers that fail on purpose (the runtime system's
 * `front` calls `flaky` and `fragile`; node:http servers play those two and count what reaches
 * them): retry with backoff then success, no retry of a POST that reached the callee, the
 * breaker opening after failMax failures and answering from the fallback without touching the
 * callee, a half-open probe after resetTimeout closing it, and callee lookup through Consul.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, recordingServer, sleep, startServiceProcess, type ServiceProcess, type TestServer } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

describe('generated clients', () => {
  let flaky: TestServer;
  let fragile: TestServer;
  let consul: TestServer;
  let front: ServiceProcess;
  /** Statuses the fake callees answer next (then 200). */
  const flakyPlan: number[] = [];
  let fragileStatus = 500;
  /** How long the fake fragile waits before answering. */
  let fragileDelayMs = 0;

  beforeAll(async () => {
    const dir = await runtimeSystem();
    flaky = await recordingServer((req, res) => {
      const status = flakyPlan.shift() ?? (req.method === 'POST' ? 201 : 200);
      if (status >= 300) return json(res, status, { error: 'boom', message: `planned ${status}` });
      json(res, status, { id: req.url.split('/').pop(), name: 'from flaky' });
    });
    fragile = await recordingServer((req, res) => {
      if (fragileDelayMs > 0) {
        setTimeout(() => json(res, 200, { id: 'late', name: 'too late' }), fragileDelayMs).unref();
        return;
      }
      if (fragileStatus >= 300) return json(res, fragileStatus, { error: 'boom', message: 'down' });
      json(res, 200, { id: req.url.split('/').pop(), name: 'from fragile' });
    });
    // flaky is found through Consul; fragile through FRAGILE_SERVICE_URL.
    consul = await recordingServer((req, res) => {
      if (req.url === '/v1/health/service/flaky?passing=true') return json(res, 200, [{ Node: { Address: '127.0.0.1' }, Service: { Address: '127.0.0.1', Port: flaky.port } }]);
      json(res, 200);
    });
    front = await startServiceProcess(dir, 'front', { CONSUL_URL: consul.url, FRAGILE_SERVICE_URL: fragile.url });
  }, 600_000);

  afterAll(async () => {
    await front?.stop('SIGKILL');
    await Promise.all([flaky?.close(), fragile?.close(), consul?.close()]);
  });

  it('finds the callee through Consul, retries a GET with backoff, then succeeds', async () => {
    flaky.requests.length = 0;
    flakyPlan.push(503, 503);
    const res = await fetch(`${front.url}/flaky/t1`, { headers: { 'x-request-id': 'trace-7' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 't1', name: 'from flaky' });
    expect(flaky.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /things/t1', 'GET /things/t1', 'GET /things/t1']);
    // The request id follows the call; retries wait (min 20ms, doubling, jittered).
    expect(flaky.requests.every((r) => r.headers['x-request-id'] === 'trace-7')).toBe(true);
    const gaps = flaky.requests.slice(1).map((r, i) => r.at - flaky.requests[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(18);
    expect(consul.requests.some((r) => r.url === '/v1/health/service/flaky?passing=true')).toBe(true);
  });

  it('returns a declared non-2xx reply to the caller without retrying it', async () => {
    flaky.requests.length = 0;
    flakyPlan.push(404);
    const res = await fetch(`${front.url}/flaky/gone`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'boom', message: 'planned 404' });
    expect(flaky.requests).toHaveLength(1);
  });

  it('does not retry a POST that reached the callee, and answers 502 for an undeclared status', async () => {
    flaky.requests.length = 0;
    flakyPlan.push(503);
    const res = await fetch(`${front.url}/flaky`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'bad_status' });
    expect(flaky.requests).toHaveLength(1);
    expect(JSON.parse(flaky.requests[0].body)).toEqual({ name: 'n' });
  });

  it('opens the breaker after failMax failures, then answers from the fallback without calling', async () => {
    fragile.requests.length = 0;
    fragileStatus = 500;
    // failMax 3, one attempt per call: three calls reach the server and fail (fallback answers).
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${front.url}/fragile/f${i}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: `f${i}`, name: 'fallback:bad-status' });
    }
    expect(fragile.requests).toHaveLength(3);
    // Open: fail fast into the fallback; the server sees nothing.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${front.url}/fragile/open${i}`);
      expect(await res.json()).toEqual({ id: `open${i}`, name: 'fallback:breaker-open' });
    }
    expect(fragile.requests).toHaveLength(3);
  });

  it('lets one probe through after resetTimeout and closes again when it succeeds', async () => {
    fragileStatus = 200;
    await sleep(350);
    const probe = await fetch(`${front.url}/fragile/p1`);
    expect(await probe.json()).toEqual({ id: 'p1', name: 'from fragile' });
    expect(fragile.requests).toHaveLength(4);
    const next = await fetch(`${front.url}/fragile/p2`);
    expect(await next.json()).toEqual({ id: 'p2', name: 'from fragile' });
    expect(fragile.requests).toHaveLength(5);
  });

  it('a failed probe opens the breaker again', async () => {
    fragileStatus = 500;
    for (let i = 0; i < 3; i++) await fetch(`${front.url}/fragile/x${i}`);
    const count = fragile.requests.length;
    expect((await (await fetch(`${front.url}/fragile/y`)).json()).name).toBe('fallback:breaker-open');
    await sleep(350);
    expect((await (await fetch(`${front.url}/fragile/z`)).json()).name).toBe('fallback:bad-status');
    expect(fragile.requests).toHaveLength(count + 1);
    expect((await (await fetch(`${front.url}/fragile/w`)).json()).name).toBe('fallback:breaker-open');
    expect(fragile.requests).toHaveLength(count + 1);
  });

  it('gives up an attempt after the spec timeout (1s here) and answers from the fallback', async () => {
    await sleep(350); // the breaker (open after the last test) lets a probe through
    fragileDelayMs = 3000;
    const started = performance.now();
    const res = await fetch(`${front.url}/fragile/slow`);
    const elapsed = performance.now() - started;
    expect(await res.json()).toEqual({ id: 'slow', name: 'fallback:timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
    fragileDelayMs = 0;
  });
});
