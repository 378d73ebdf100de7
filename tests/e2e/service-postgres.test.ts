/**
 * A generated service with `database: postgres` against a real PostgreSQL: the handler uses
 * the typed pool (`this.ctx.db`), /health pings the database on each request and answers 503
 * `{ status: 'down', checks: { database: 'down' } }` while it is stopped, 200 again once it is
 * back. CI installs and starts PostgreSQL 15 (`pg_ctlcluster 15 main start`) with a `microgen`
 * role (see docs/dependencies.md); MICROGEN_SKIP_PG=1 skips these tests, and nothing else does:
 * without that variable an unreachable PostgreSQL is a failure.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, healthy, portAnswers, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

const SKIP = process.env.MICROGEN_SKIP_PG === '1';
const DATABASE_URL = process.env.MICROGEN_PG_URL ?? 'postgres://microgen:microgen@127.0.0.1:5432/postgres';
/** The Debian cluster the test stops and starts (`pg_ctlcluster <version> <name> stop|start`). */
const CLUSTER = (process.env.MICROGEN_PG_CLUSTER ?? '15 main').split(' ');

function cluster(action: 'start' | 'stop'): void {
  execFileSync('pg_ctlcluster', [...CLUSTER, action], { stdio: 'pipe', timeout: 60_000 });
}

function reachable(): Promise<boolean> {
  const { hostname, port } = new URL(DATABASE_URL);
  return portAnswers(hostname, Number(port || 5432));
}

if (SKIP) console.warn('MICROGEN_SKIP_PG=1: skipping the PostgreSQL tests of generated services');

describe.skipIf(SKIP)('a generated service with postgres', () => {
  let accounts: ServiceProcess;
  let stopped = false;

  beforeAll(async () => {
    if (!(await reachable())) {
      throw new Error(`PostgreSQL is not reachable at ${new URL(DATABASE_URL).host}: start it (pg_ctlcluster ${CLUSTER.join(' ')} start) or set MICROGEN_SKIP_PG=1`);
    }
    const dir = await runtimeSystem();
    accounts = await startServiceProcess(dir, 'accounts', { DATABASE_URL, CONSUL_URL: 'http://127.0.0.1:9' });
  }, 600_000);

  afterAll(async () => {
    if (stopped) cluster('start');
    await accounts?.stop('SIGKILL');
  });


  it('reports the database up, and handlers query it through this.ctx.db', async () => {
    expect(await health(accounts)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    const res = await fetch(`${accounts.url}/tables/count`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number };
    expect(body.count).toBeGreaterThan(0);
  });

  it('answers 503 while the database is stopped and 200 once it is back', async () => {
    cluster('stop');
    stopped = true;
    expect(await health(accounts)).toEqual({ status: 503, body: { status: 'down', checks: { database: 'down' } } });
    cluster('start');
    stopped = false;
    const back = await healthy(accounts, 20_000, 'the database to come back');
    expect(back.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    // The pool replaced the connections the restart dropped, and the process survived it.
    expect((await fetch(`${accounts.url}/tables/count`)).status).toBe(200);
  }, 90_000);

  it('exits 0 on SIGTERM, closing the pool', async () => {
    expect(await accounts.stop('SIGTERM')).toBe(0);
  });
});
