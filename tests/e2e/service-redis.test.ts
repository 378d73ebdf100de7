/**
 * A generated service with `database: redis` against a real Redis of the test's own (its own
 * port, nothing persisted: the test kills and restarts it, so it never touches the machine's
 * shared server): the handler uses the typed ioredis client (`this.ctx.db`), /health answers 503
 * while Redis is down and 200 once the client has reconnected by itself.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedis, type PrivateServer } from '../helpers/private-servers.js';
import { health, healthy, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

describe('a generated service with redis', () => {
  let redis: PrivateServer;
  let sessions: ServiceProcess;
  const key = `e2e-${process.pid}`;

  beforeAll(async () => {
    const [dir, server] = await Promise.all([runtimeSystem(), privateRedis()]);
    redis = server;
    sessions = await startServiceProcess(dir, 'sessions', { DATABASE_URL: redis.url });
  }, 600_000);

  afterAll(async () => {
    await sessions?.stop('SIGKILL');
    await redis?.destroy();
  });

  const hit = async () => {
    const res = await fetch(`${sessions.url}/hits/${key}`, { method: 'POST' });
    return { status: res.status, body: await res.json() };
  };

  it('reports the database up, and handlers write to Redis through this.ctx.db', async () => {
    expect(await health(sessions)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    expect(await hit()).toEqual({ status: 200, body: { count: 1 } });
    expect(await hit()).toEqual({ status: 200, body: { count: 2 } });
    const client = new Redis(redis.url);
    try {
      expect(await client.get(`hits:${key}`)).toBe('2');
    } finally {
      client.disconnect();
    }
  });

  it('answers 503 while Redis is down and 200 once the client has reconnected', async () => {
    await redis.stop();
    expect(await health(sessions)).toEqual({ status: 503, body: { status: 'down', checks: { database: 'down' } } });
    await redis.start();
    const back = await healthy(sessions, 20_000, 'the client to reconnect');
    expect(back.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    // Nothing was saved: the restarted server starts empty, and the process survived the outage.
    expect(await hit()).toEqual({ status: 200, body: { count: 1 } });
  }, 60_000);

  it('exits 0 on SIGTERM, closing the client', async () => {
    expect(await sessions.stop('SIGTERM')).toBe(0);
  });
});
