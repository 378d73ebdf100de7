/**
 * Several services in one process (what `microgen dev` and the monolith run): each on its own
 * port from its prefixed settings, calling each other as they would across processes, stopped
 * together; when one cannot start, the ones that did are stopped and the failure is reported.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { defineService, defineSystem, reportSystem, StartError, type ClientOperation, type EventCatalog, type OperationRequest, type Resource, type ServiceCaller } from '../src/index.js';
import { captureLogger } from './helpers.js';

const GET_NAME: ClientOperation = { name: 'name', method: 'GET', path: '/name', statuses: [200] };

class Greeter {
  constructor(private readonly ctx: { clients: { names: ServiceCaller } }) {}
  async greet(): Promise<{ status: 200; body: { text: string } }> {
    const reply = await this.ctx.clients.names.call<{ status: 200; body: { name: string } }>(GET_NAME, {});
    return { status: 200, body: { text: `hello, ${reply.body.name}` } };
  }
}

class Names {
  async name(_request: OperationRequest): Promise<{ status: 200; body: { name: string } }> {
    return { status: 200, body: { name: 'world' } };
  }
}

const closed: string[] = [];
const resource = (service: string): Resource<string> => ({
  name: 'database',
  client: service,
  open: async () => undefined,
  health: async () => undefined,
  close: async () => void closed.push(service),
  describe: () => `a fake database of ${service}`,
});

function system(namesPort: number) {
  const greeter = defineService({
    name: 'greeter',
    port: 0,
    discovery: 'dns',
    components: [],
    routes: [{ operation: 'greet', method: 'GET', url: '/greet', schema: {} }],
    resources: { db: () => resource('greeter') },
    clients: ({ caller }) => ({ names: caller('names', namesPort, { timeoutMs: 1_000, retry: { attempts: 1, backoff: 'fixed', minMs: 0, maxMs: 0 }, breaker: { failMax: 5, resetTimeoutMs: 1_000 } }) }),
    handlers: { operations: (ctx) => new Greeter(ctx) },
  });
  const names = defineService({
    name: 'names',
    port: namesPort,
    discovery: 'dns',
    components: [],
    routes: [{ operation: 'name', method: 'GET', url: '/name', schema: {} }],
    resources: { db: () => resource('names') },
    clients: () => ({}),
    handlers: { operations: () => new Names() },
  });
  return defineSystem({ name: 'hello', services: [greeter, names] });
}

describe('a system in one process', () => {
  it('runs every service on its own port, calling each other as across processes, and stops them all', async () => {
    const namesPort = await freePort();
    const greeterPort = await freePort();
    closed.length = 0;
    const running = await system(namesPort).run({ env: { GREETER_PORT: String(greeterPort), PORT: '1' }, logger: () => captureLogger().logger });
    expect(running.services.map((s) => s.url)).toEqual([`http://127.0.0.1:${greeterPort}`, `http://127.0.0.1:${namesPort}`]);
    const res = await fetch(`${running.services[0].url}/greet`);
    expect(await res.json()).toEqual({ text: 'hello, world' });
    expect(await reportSystem(running, captureLogger().logger)).toEqual([
      { name: 'greeter', url: `http://127.0.0.1:${greeterPort}`, resources: [{ name: 'database', what: 'a fake database of greeter', up: true }] },
      { name: 'names', url: `http://127.0.0.1:${namesPort}`, resources: [{ name: 'database', what: 'a fake database of names', up: true }] },
    ]);
    await running.stop();
    expect(closed.sort()).toEqual(['greeter', 'names']);
  });

  it('stops the services that started when another cannot, and reports why', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    closed.length = 0;
    try {
      const error = await system(taken)
        .run({ env: { GREETER_PORT: String(await freePort()) }, logger: () => captureLogger().logger })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StartError);
      expect((error as Error).message).toBe(`names cannot listen on 127.0.0.1:${taken}: the port is already in use`);
      expect(closed.sort()).toEqual(['greeter', 'names']);
    } finally {
      blocker.close();
    }
  });
});

describe('events in a system in one process', () => {
  const ORDER = { version: 1, schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } };
  const received: string[] = [];
  class Shipping {
    async onOrder(message: { payload: unknown }): Promise<void> {
      received.push((message.payload as { id: string }).id);
    }
  }
  class Orders {
    constructor(private readonly ctx: { publish: (name: 'order.placed', payload: { id: string }) => Promise<void> }) {}
    async place(): Promise<{ status: 200; body: { ok: boolean } }> {
      await this.ctx.publish('order.placed', { id: 'o-1' });
      return { status: 200, body: { ok: true } };
    }
  }
  const eventsSystem = (exchange: string) => {
    const orders = defineService({
      name: 'orders',
      port: 0,
      discovery: 'dns',
      components: [],
      routes: [{ operation: 'place', method: 'POST', url: '/place', schema: {} }],
      resources: {},
      clients: () => ({}),
      events: { exchange, schemas: [], publishes: { 'order.placed': ORDER } as EventCatalog<{ 'order.placed': { id: string } }> },
      handlers: { operations: (ctx) => new Orders(ctx) },
    });
    const shipping = defineService({
      name: 'shipping',
      port: 0,
      discovery: 'dns',
      components: [],
      routes: [],
      resources: {},
      clients: () => ({}),
      events: { exchange, schemas: [], subscriptions: [{ handler: 'onOrder', patterns: ['order.*'], events: { 'order.placed': ORDER } }] },
      handlers: { operations: () => ({}), events: () => new Shipping() },
    });
    return defineSystem({ name: 'shop', services: [orders, shipping] });
  };

  it('delivers between its services over the in-process bus, and says once per service that events stay inside', async () => {
    received.length = 0;
    const logs = new Map<string, ReturnType<typeof captureLogger>>();
    const running = await eventsSystem(`sys-${process.pid}`).run({ env: {}, logger: (name) => logs.set(name, captureLogger(name)).get(name)!.logger });
    try {
      const res = await fetch(`${running.services[0].url}/place`, { method: 'POST' });
      expect(res.status).toBe(200);
      await expect.poll(() => received, { timeout: 5_000 }).toEqual(['o-1']);
      expect(logs.get('orders')!.text()).toContain('BROKER_URL is not set: events stay inside this process');
      expect((await reportSystem(running, captureLogger().logger))[1].resources).toEqual([{ name: 'broker', what: `in-process bus (exchange sys-${process.pid})`, up: true }]);
    } finally {
      await running.stop();
    }
  });

  it('takes a plain BROKER_URL for every service (one broker serves the system)', async () => {
    const port = await freePort();
    const error = await eventsSystem('x')
      .run({ env: { BROKER_URL: `http://127.0.0.1:${port}` }, logger: () => captureLogger().logger })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('BROKER_URL must be amqp:// or amqps://');
  });
});
