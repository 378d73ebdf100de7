/**
 * A generated service with `database: redis` against a real Redis: the handler uses the typed
 * ioredis client (`this.ctx.db`), what it writes is in the server (read back with redis-cli),
 * /health answers 503 while Redis is down and 200 once the client has reconnected by itself.
 * CI installs and starts redis-server on 127.0.0.1:6379 (scripts/start-services.sh);
 * MICROGEN_SKIP_REDIS=1 skips these tests, and nothing else does: without that variable an
 * unreachable Redis is a failure.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, healthy, portAnswers, startServiceProcess, waitFor, type ServiceProcess } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

const SKIP = process.env.MICROGEN_SKIP_REDIS === '1';
const REDIS_URL = process.env.MICROGEN_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const { hostname: HOST, port: PORT = '6379' } = new URL(REDIS_URL);

const cli = (...args: string[]): string => execFileSync('redis-cli', ['-h', HOST, '-p', PORT, ...args], { encoding: 'utf8', timeout: 10_000 }).trim();
/** The same way scripts/start-services.sh starts it: loopback only, nothing persisted. */
const startRedis = (): void => void execFileSync('redis-server', ['--bind', HOST, '--port', PORT, '--daemonize', 'yes', '--save', '', '--appendonly', 'no'], { timeout: 10_000 });

const reachable = (): Promise<boolean> => portAnswers(HOST, Number(PORT));

if (SKIP) console.warn('MICROGEN_SKIP_REDIS=1: skipping the Redis tests of generated services');

describe.skipIf(SKIP)('a generated service with redis', () => {
  let sessions: ServiceProcess;
  let stopped = false;
  const key = `e2e-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    if (!(await reachable())) throw new Error(`Redis is not reachable at ${HOST}:${PORT}: run scripts/start-services.sh (or set MICROGEN_SKIP_REDIS=1)`);
    const dir = await runtimeSystem();
    sessions = await startServiceProcess(dir, 'sessions', { DATABASE_URL: REDIS_URL, CONSUL_URL: 'http://127.0.0.1:9' });
  }, 600_000);

  afterAll(async () => {
    if (stopped) startRedis();
    await sessions?.stop('SIGKILL');
    if (!stopped) cli('DEL', `hits:${key}`);
  });

  const hit = async () => {
    const res = await fetch(`${sessions.url}/hits/${key}`, { method: 'POST' });
    return { status: res.status, body: await res.json() };
  };

  it('reports the database up, and handlers write to Redis through this.ctx.db', async () => {
    expect(await health(sessions)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    expect(await hit()).toEqual({ status: 200, body: { count: 1 } });
    expect(await hit()).toEqual({ status: 200, body: { count: 2 } });
    expect(cli('GET', `hits:${key}`)).toBe('2');
  });

  it('answers 503 while Redis is down and 200 once the client has reconnected', async () => {
    cli('SHUTDOWN', 'NOSAVE');
    stopped = true;
    await waitFor(async () => ((await reachable()) ? undefined : true), 10_000, 'Redis to stop');
    expect(await health(sessions)).toEqual({ status: 503, body: { status: 'down', checks: { database: 'down' } } });
    startRedis();
    stopped = false;
    const back = await healthy(sessions, 20_000, 'the client to reconnect');
    expect(back.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    // Nothing was saved: the restarted server starts empty, and the process survived the outage.
    expect(await hit()).toEqual({ status: 200, body: { count: 1 } });
  }, 60_000);

  it('exits 0 on SIGTERM, closing the client', async () => {
    expect(await sessions.stop('SIGTERM')).toBe(0);
  });
});
