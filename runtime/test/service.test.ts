/**
 * The service bootstrap on a real server (port 0 on 127.0.0.1): routes from a route table with
 * validation, the Error shape for every failure, request ids, /health over resources, and
 * graceful shutdown.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallError, defineService, HttpError, NotImplemented, StartError, type OperationRequest, type Resource, type RouteDef } from '../src/index.js';
import { captureLogger } from './helpers.js';

class Operations {
  constructor(readonly ctx: { service: string }) {}
  async echo(request: OperationRequest): Promise<{ status: 200; body: { id: number; tags: string[] } }> {
    const params = request.params as { id: number };
    return { status: 200, body: { id: params.id, tags: (request.query as { tag?: string[] }).tag ?? [] } };
  }
  async create(request: OperationRequest): Promise<{ status: 201; body: { name: string } }> {
    return { status: 201, body: request.body as { name: string } };
  }
  async fail(request: OperationRequest): Promise<{ status: 204 }> {
    const how = (request.params as { how: string }).how;
    if (how === 'crash') throw new Error('database password is hunter2');
    if (how === 'http') throw new HttpError(409, 'already there');
    if (how === 'call') throw new CallError('user', 'getUser', 'timeout', 'user.getUser timed out after 5ms');
    if (how === 'todo') throw new NotImplemented('fail');
    return { status: 204 };
  }
  async slow(): Promise<{ status: 200; body: { done: boolean } }> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { status: 200, body: { done: true } };
  }
}

const COMPONENTS = [{ $id: 'Named', type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] }];
const ROUTES: RouteDef<Operations>[] = [
  {
    operation: 'echo',
    method: 'GET',
    url: '/echo/:id',
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      querystring: { type: 'object', properties: { tag: { type: 'array', items: { type: 'string' } } } },
      response: { 200: { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } },
    },
  },
  { operation: 'create', method: 'POST', url: '/things', schema: { body: { $ref: 'Named#' }, response: { 201: { $ref: 'Named#' } } } },
  { operation: 'fail', method: 'POST', url: '/fail/:how', schema: {} },
  { operation: 'slow', method: 'GET', url: '/slow', schema: {} },
];

function fakeResource(name: string, state: { up: boolean; closed?: boolean }): Resource<{ name: string }> {
  return {
    name,
    client: { name },
    open: async () => undefined,
    health: async () => {
      if (!state.up) throw new Error(`${name} is down`);
    },
    close: async () => {
      state.closed = true;
    },
  };
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function start(options: { port?: number; env?: NodeJS.ProcessEnv; db?: { up: boolean; closed?: boolean } } = {}) {
  const db = options.db ?? { up: true };
  const log = captureLogger('things');
  const service = defineService({
    name: 'things',
    port: options.port ?? 0,
    discovery: 'dns',
    components: COMPONENTS,
    routes: ROUTES,
    resources: { db: () => fakeResource('database', db) },
    clients: () => ({}),
    handlers: { operations: (ctx) => new Operations(ctx) },
  });
  const svc = await service.run({ env: options.env ?? {}, logger: log.logger });
  running.push(svc);
  return { svc, log, db };
}

describe('a service from a route table', () => {
  it('builds the context from its resources and hands it to the handlers', async () => {
    const { svc } = await start();
    expect(svc.ctx.service).toBe('things');
    expect(svc.ctx.db).toEqual({ name: 'database' });
  });

  it('validates and coerces params and query, and serialises by the response schema', async () => {
    const { svc } = await start();
    const res = await fetch(`${svc.url}/echo/7?tag=a&tag=b`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 7, tags: ['a', 'b'] });
  });

  it('answers bad input with 400 in the Error shape, without coercing JSON bodies', async () => {
    const { svc } = await start();
    const bad = await fetch(`${svc.url}/echo/seven`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_request', message: 'params/id must be integer' });
    const wrongType = await fetch(`${svc.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":5}' });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ error: 'bad_request' });
  });

  it('answers a body of another media type with 415 in the Error shape', async () => {
    const { svc } = await start();
    const res = await fetch(`${svc.url}/things`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=lamp' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('maps what handlers throw to statuses, hiding the message of unexpected errors', async () => {
    const { svc, log } = await start();
    const answer = async (how: string) => {
      const res = await fetch(`${svc.url}/fail/${how}`, { method: 'POST' });
      return [res.status, await res.json()];
    };
    expect(await answer('crash')).toEqual([500, { error: 'internal', message: 'internal server error' }]);
    expect(log.text()).toContain('hunter2');
    expect(await answer('http')).toEqual([409, { error: 'conflict', message: 'already there' }]);
    expect(await answer('call')).toEqual([504, { error: 'timeout', message: 'user.getUser timed out after 5ms' }]);
    expect(await answer('todo')).toEqual([501, { error: 'not_implemented', message: 'fail is not implemented yet' }]);
    const missing = await fetch(`${svc.url}/nowhere?x=1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route GET /nowhere' });
  });

  it('keeps a sane incoming request id, makes one otherwise, and logs with it', async () => {
    const { svc, log } = await start();
    const given = await fetch(`${svc.url}/echo/1`, { headers: { 'x-request-id': 'req-42' } });
    expect(given.headers.get('x-request-id')).toBe('req-42');
    expect(log.lines().some((l) => l.reqId === 'req-42')).toBe(true);
    const made = await fetch(`${svc.url}/echo/1`, { headers: { 'x-request-id': 'not sane at all' } });
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const again = await fetch(`${svc.url}/fail/crash`, { method: 'POST' });
    expect(again.headers.get('x-request-id')).not.toBe(id);
  });

  it('reports its resources on /health: 200 while up, 503 while one is down', async () => {
    const { svc, db } = await start();
    const up = await fetch(`${svc.url}/health`);
    expect([up.status, await up.json()]).toEqual([200, { status: 'ok', checks: { database: 'up' } }]);
    db.up = false;
    const down = await fetch(`${svc.url}/health`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'down', checks: { database: 'down' } }]);
  });

  it('stops gracefully: a request in flight finishes, then the resources close', async () => {
    const { svc, db } = await start();
    const inFlight = fetch(`${svc.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await svc.stop();
    const res = await inFlight;
    expect(await res.json()).toEqual({ done: true });
    expect(db.closed).toBe(true);
    await expect(fetch(`${svc.url}/health`)).rejects.toThrow();
  });

  it('fails readiness while it drains before stopping (SHUTDOWN_DELAY_MS)', async () => {
    const { svc } = await start({ env: { SHUTDOWN_DELAY_MS: '300' } });
    const stopping = svc.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await fetch(`${svc.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'stopping' });
    await stopping;
  });

  it('says in one line which service cannot take which port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const db = { up: true, closed: false };
    try {
      const error = await start({ port, db }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StartError);
      expect((error as Error).message).toBe(`things cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(db.closed).toBe(true);
    } finally {
      blocker.close();
    }
  });

  it('takes its port from PORT, or <SERVICE>_PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await new Promise((resolve) => blocker.close(resolve));
    const { svc } = await start({ env: { THINGS_PORT: String(port) } });
    expect(svc.url).toBe(`http://127.0.0.1:${port}`);
  });
});
