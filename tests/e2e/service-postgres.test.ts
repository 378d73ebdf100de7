/**
 * A generated service with `database: postgres` against a real PostgreSQL of the test's own
 * (its own data folder and port: the test stops and restarts it, so it never touches the
 * machine's shared server): handlers query through `this.ctx.db`, /health pings the database
 * and answers 503 `{ status: 'down', checks: { database: 'down' } }` while it is stopped, 200
 * again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privatePostgres, type PrivateServer } from '../helpers/private-servers.js';
import { health, healthy, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runtimeSystem } from './runtime-system.js';

describe('a generated service with postgres', () => {
  let postgres: PrivateServer;
  let accounts: ServiceProcess;

  beforeAll(async () => {
    const [dir, server] = await Promise.all([runtimeSystem(), privatePostgres()]);
    postgres = server;
    accounts = await startServiceProcess(dir, 'accounts', { DATABASE_URL: postgres.url.replace(/\/postgres$/, '/accounts') });
  }, 600_000);

  afterAll(async () => {
    await accounts?.stop('SIGKILL');
    await postgres?.destroy();
  });

  it("creates the service's database at its first start, reports it up, and handlers query it through this.ctx.db", async () => {
    expect(accounts.output()).toContain('created the database accounts');
    expect(await health(accounts)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    const res = await fetch(`${accounts.url}/tables/count`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number };
    expect(body.count).toBeGreaterThan(0);
  });

  it('answers 503 while the database is stopped and 200 once it is back', async () => {
    await postgres.stop();
    expect(await health(accounts)).toEqual({ status: 503, body: { status: 'down', checks: { database: 'down' } } });
    await postgres.start();
    const back = await healthy(accounts, 20_000, 'the database to come back');
    expect(back.body).toEqual({ status: 'ok', checks: { database: 'up' } });
    // The pool replaced the connections the restart dropped, and the process survived it.
    expect((await fetch(`${accounts.url}/tables/count`)).status).toBe(200);
  }, 90_000);

  it('exits 0 on SIGTERM, closing the pool', async () => {
    expect(await accounts.stop('SIGTERM')).toBe(0);
  });
});
