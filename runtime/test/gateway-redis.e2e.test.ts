/**
 * `rateLimitStore: redis`: two gateway replicas count one client against one Redis, so the
 * limit holds across them; when Redis goes away requests pass uncounted (one log line) and
 * /health reports the store down. The Redis is the test's own (it is stopped on purpose).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedis, type PrivateServer } from '../../tests/helpers/private-servers.js';
import { waitFor } from '../../tests/helpers/service-process.js';
import { defineGateway, type RunningGateway } from '../src/gateway/index.js';
import { captureLogger } from './helpers.js';
import { echoUpstream, type Upstream } from './gateway-helpers.js';

describe('rate limits shared through Redis', () => {
  let redis: PrivateServer;
  let echo: Upstream;
  const logs = [captureLogger('gateway'), captureLogger('gateway')];
  let replicas: RunningGateway[] = [];

  beforeAll(async () => {
    redis = await privateRedis();
    echo = await echoUpstream();
    // Each run counts under its own system name, so a rerun within the minute starts afresh.
    const module = defineGateway({
      system: `redis-test-${process.pid}-${Date.now()}`,
      port: 0,
      discovery: 'dns',
      services: { echo: 1 },
      rateLimitStore: 'redis',
      routes: [{ path: '/api', service: 'echo', stripPath: true, upstreamPath: '/', auth: 'none', rateLimit: { minute: 3 }, timeoutMs: 2_000 }],
    });
    const env = { ECHO_SERVICE_URL: echo.url, REDIS_URL: redis.url };
    replicas = await Promise.all(logs.map((log) => module.run({ env, logger: log.logger })));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await echo?.close();
    await redis?.destroy();
  });

  it('counts requests to either replica against one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${replicas[i % 2].url}/api/x`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = await fetch(`${replicas[1].url}/api/x`);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await (await fetch(`${replicas[0].url}/health`)).json()).toEqual({ status: 'ok', checks: { echo: 'up', 'rate-limit store': 'up' } });
    expect(replicas[0].resources.map((r) => r.describe?.())).toEqual([echo.url, `Redis at 127.0.0.1:${redis.port}/0`]);
  });

  it('lets requests pass uncounted while Redis is away, and says so once', async () => {
    await redis.stop();
    for (let i = 0; i < 3; i++) expect((await fetch(`${replicas[0].url}/api/x`)).status).toBe(200);
    const warnings = logs[0].lines().filter((l) => String(l.msg).startsWith('rate-limit store unreachable'));
    expect(warnings).toHaveLength(1);
    const health = await waitFor(async () => {
      const body = (await (await fetch(`${replicas[0].url}/health`)).json()) as { status: string };
      return body.status === 'degraded' ? body : undefined;
    }, 5_000, 'the store reported down');
    expect(health).toEqual({ status: 'degraded', checks: { echo: 'up', 'rate-limit store': 'down' } });
  });
});
