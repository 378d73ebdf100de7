/**
 * The database resources against the real PostgreSQL and Redis the tests start
 * (scripts/start-services.sh): queries and transactions, health while up and when the server
 * cannot be reached, and a start that does not fail when the database is away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { postgres } from '../src/db/postgres.js';
import { redis } from '../src/db/redis.js';
import { captureLogger } from './helpers.js';

const PG_URL = 'postgres://microgen:microgen@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379/0';

function open<T>(factory: (env: { service: string; logger: ReturnType<typeof captureLogger>['logger']; setting: (n: string) => string | undefined }) => T, settings: Record<string, string> = {}) {
  const log = captureLogger();
  return { resource: factory({ service: 'test', logger: log.logger, setting: (n) => settings[n] }), log };
}

describe('postgres', () => {
  it('queries, commits a transaction, and rolls one back when it throws', async () => {
    const { resource } = open(postgres(PG_URL));
    await resource.open();
    const db = resource.client;
    try {
      await db.query('CREATE TEMP TABLE IF NOT EXISTS t (n int)');
      await db.query('DROP TABLE IF EXISTS runtime_tx');
      await db.query('CREATE TABLE runtime_tx (n int)');
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO runtime_tx VALUES ($1), ($2)', [1, 2]);
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO runtime_tx VALUES ($1)', [3]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      const { rows, rowCount } = await db.query<{ n: number }>('SELECT n FROM runtime_tx ORDER BY n');
      expect(rows.map((r) => r.n)).toEqual([1, 2]);
      expect(rowCount).toBe(2);
      await resource.health();
    } finally {
      await db.query('DROP TABLE IF EXISTS runtime_tx');
      await resource.close();
    }
  });

  it("creates the service's database at its first start", async () => {
    const name = `runtime_created_${process.pid}`;
    const admin = open(postgres(PG_URL));
    await admin.resource.open();
    try {
      await admin.resource.client.query(`DROP DATABASE IF EXISTS ${name}`);
      const { resource, log } = open(postgres(PG_URL), { DATABASE_URL: `postgres://microgen:microgen@127.0.0.1:5432/${name}` });
      await resource.open();
      expect(log.lines().map((l) => l.msg)).toEqual([`created the database ${name}`, 'database connected']);
      await resource.health();
      await resource.close();
    } finally {
      await admin.resource.client.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.resource.close();
    }
  });

  it('starts when the server is away, says so once, and reports it down', async () => {
    const port = await freePort();
    const { resource, log } = open(postgres(PG_URL), { DATABASE_URL: `postgres://microgen:microgen@127.0.0.1:${port}/x` });
    await resource.open();
    expect(log.lines().filter((l) => l.level === 50)).toHaveLength(1);
    expect(log.text()).toContain('unreachable at start');
    await expect(resource.health()).rejects.toThrow();
    await resource.close();
  });
});

describe('redis', () => {
  it('answers commands and pings healthy', async () => {
    const { resource } = open(redis(REDIS_URL));
    await resource.open();
    try {
      await resource.client.set('runtime:test', '1');
      expect(await resource.client.incr('runtime:test')).toBe(2);
      await resource.health();
    } finally {
      await resource.client.del('runtime:test');
      await resource.close();
    }
  });

  it('starts when the server is away and reports it down', async () => {
    const port = await freePort();
    const { resource, log } = open(redis(REDIS_URL), { DATABASE_URL: `redis://127.0.0.1:${port}/0` });
    await resource.open();
    expect(log.text()).toContain('unreachable at start');
    // At once, not after the client's next reconnection attempt.
    const started = performance.now();
    await expect(resource.health()).rejects.toThrow('not connected');
    expect(performance.now() - started).toBeLessThan(100);
    await resource.close();
  });
});

describe('embedded postgres (pglite:)', () => {
  it('persists in its folder across opens, with the same query and transaction interface', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-'));
    try {
      const first = open(postgres(PG_URL), { DATABASE_URL: `pglite:${dir}` });
      await first.resource.open();
      expect(first.log.text()).toContain(`embedded database ready in ${dir}`);
      await first.resource.client.query('CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)');
      await first.resource.client.transaction(async (tx) => {
        await tx.query('INSERT INTO notes (text) VALUES ($1), ($2)', ['a', 'b']);
      });
      await expect(
        first.resource.client.transaction(async (tx) => {
          await tx.query('INSERT INTO notes (text) VALUES ($1)', ['c']);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await first.resource.health();
      await first.resource.close();

      const second = open(postgres(PG_URL), { DATABASE_URL: `pglite:${dir}` });
      await second.resource.open();
      const { rows, rowCount } = await second.resource.client.query<{ text: string }>('SELECT text FROM notes ORDER BY id');
      expect(rows.map((r) => r.text)).toEqual(['a', 'b']);
      expect(rowCount).toBe(2);
      await second.resource.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  it('opens several databases at once in one process, each usable on its own, with small shared buffers', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'pglite-a-')), mkdtempSync(join(tmpdir(), 'pglite-b-'))];
    const opened = dirs.map((dir) => open(postgres(PG_URL), { DATABASE_URL: `pglite:${dir}` }).resource);
    try {
      // As a one-process system opens its services' databases: all at once.
      await Promise.all(opened.map((r) => r.open()));
      await Promise.all(opened.map((r, i) => r.client.query(`CREATE TABLE only_in_${i} (n int)`)));
      for (const [i, r] of opened.entries()) {
        await r.client.transaction(async (tx) => {
          await tx.query(`INSERT INTO only_in_${i} (n) VALUES ($1)`, [i + 1]);
        });
        const { rows } = await r.client.query<{ n: number }>(`SELECT n FROM only_in_${i}`);
        expect(rows).toEqual([{ n: i + 1 }]);
        // Each is its own database: the other's table is not there.
        await expect(r.client.query(`SELECT n FROM only_in_${1 - i}`)).rejects.toThrow('does not exist');
        const { rows: buffers } = await r.client.query<{ shared_buffers: string }>('SHOW shared_buffers');
        expect(buffers).toEqual([{ shared_buffers: '16MB' }]);
        await r.health();
      }
    } finally {
      await Promise.all(opened.map((r) => r.close()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
