/**
 * SPEC §5 on a real process: a generated service built with a test handler, started as
 * `node dist/main.js`, answers /health, validates input (400 with the Error shape), answers a
 * body of another media type with 415, serialises by the declared response schema, echoes
 * x-request-id, answers 404 in the Error shape, registers with Consul (a recording fake of the
 * agent API) and on SIGTERM deregisters and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, recordingServer, startServiceProcess, waitFor, type ServiceProcess, type TestServer } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

describe('a generated service as a process', () => {
  let dir: string;
  let consul: TestServer;
  let catalog: ServiceProcess;

  beforeAll(async () => {
    dir = await runtimeSystem();
    consul = await recordingServer((_req, res) => json(res, 200));
    catalog = await startServiceProcess(dir, 'catalog', { CONSUL_URL: consul.url });
  }, 600_000);

  afterAll(async () => {
    await catalog?.stop('SIGKILL');
    await consul?.close();
  });

  it('answers /health with ok and no checks when it has no dependencies', async () => {
    const res = await fetch(`${catalog.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: {} });
  });

  it('passes a valid request to the handler and echoes x-request-id', async () => {
    const res = await fetch(`${catalog.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({ name: 'lamp', tags: ['home'] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(await res.json()).toEqual({ id: 7, name: 'lamp', tags: ['home'] });
    // The handler's log line carries the request id (pino through fastify's logger).
    const line = await waitFor(() => catalog.output().split('\n').find((l) => l.includes('creating item')));
    expect(JSON.parse(line)).toMatchObject({ reqId: 'req-42', name: 'catalog', item: 'lamp', msg: 'creating item' });
  });

  it('makes a request id when none (or a malformed one) comes in', async () => {
    const res = await fetch(`${catalog.url}/items/1`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const next = await fetch(`${catalog.url}/items/1`);
    expect(next.headers.get('x-request-id')).not.toBe(id);
  });

  it('answers a declared non-2xx reply of the handler', async () => {
    const res = await fetch(`${catalog.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"taken"}' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'conflict', message: 'name taken' });
  });

  it.each([
    ['a missing required field', '{"tags":["x"]}', /body must have required property 'name'/],
    ['a wrongly typed field', '{"name":"x","tags":{"a":1}}', /body\/tags must be array/],
    ['a number where a string is declared (no coercion of JSON bodies)', '{"name":5}', /body\/name must be string/],
    ['invalid JSON', '{"name":', /JSON/i],
  ])('rejects %s with 400 and the Error shape', async (_what, body, message) => {
    const res = await fetch(`${catalog.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; message: string };
    expect(Object.keys(answer).sort()).toEqual(['error', 'message']);
    expect(answer.error).toBe('bad_request');
    expect(answer.message).toMatch(message);
  });

  it.each([
    ['text/plain', 'name=lamp'],
    ['application/x-www-form-urlencoded', 'name=lamp'],
  ])('answers a %s body to a JSON operation with 415 and the Error shape', async (type, body) => {
    const res = await fetch(`${catalog.url}/items`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(415);
    const answer = (await res.json()) as { error: string; message: string };
    expect(Object.keys(answer).sort()).toEqual(['error', 'message']);
    expect(answer.error).toBe('unsupported_media_type');
    expect(answer.message).toContain(type);
  });

  it('validates path parameters and coerces query values', async () => {
    const bad = await fetch(`${catalog.url}/items/abc`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_request', message: 'params/id must be integer' });
    const good = await fetch(`${catalog.url}/items/5?verbose=true`);
    expect(good.status).toBe(200);
    // Serialised by the declared schema: the handler's extra `secret` does not leave the service.
    expect(await good.json()).toEqual({ id: 5, name: 'verbose' });
    const missing = await fetch(`${catalog.url}/items/404`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no item 404' });
  });

  it('answers an unknown route with 404 in the Error shape', async () => {
    const res = await fetch(`${catalog.url}/nowhere?x=1`, { headers: { 'x-request-id': 'lost-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('lost-1');
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route GET /nowhere' });
  });

  it('registered with Consul at start, with an HTTP check on /health', () => {
    const register = consul.requests.find((r) => r.url === '/v1/agent/service/register');
    expect(register?.method).toBe('PUT');
    const body = JSON.parse(register!.body);
    expect(body).toMatchObject({ Name: 'catalog', Address: '127.0.0.1', Port: catalog.port, Check: { HTTP: `http://127.0.0.1:${catalog.port}/health` } });
    expect(body.ID).toBe(`catalog-127.0.0.1-${catalog.port}`);
  });

  it('on SIGTERM deregisters from Consul and exits 0', async () => {
    const code = await catalog.stop('SIGTERM');
    expect(code).toBe(0);
    const deregister = consul.requests.find((r) => r.url.startsWith('/v1/agent/service/deregister/'));
    expect(deregister?.method).toBe('PUT');
    expect(deregister?.url).toBe(`/v1/agent/service/deregister/catalog-127.0.0.1-${catalog.port}`);
  });
});

describe('a handler not written yet', () => {
  it('answers 501 with the Error shape (the stub throws NotImplemented)', async () => {
    const dir = await runtimeSystem();
    const flaky = await startServiceProcess(dir, 'flaky', { CONSUL_URL: 'http://127.0.0.1:9' });
    try {
      const res = await fetch(`${flaky.url}/things/a`);
      expect(res.status).toBe(501);
      expect(await res.json()).toEqual({ error: 'not_implemented', message: 'getThing is not implemented yet' });
    } finally {
      expect(await flaky.stop('SIGTERM')).toBe(0);
    }
  }, 600_000);
});
