/**
 * A service's PostgreSQL database (`database: postgres`): `this.ctx.db` in handlers.
 *
 * Handlers see a small interface, `query` and `transaction`, rather than a `pg.Pool`: the same
 * code then runs on a PostgreSQL server and, under `microgen dev`, on an embedded one. The pool
 * itself is `this.ctx.db.pool` for what the interface does not cover.
 *
 * A transaction is also the context of what runs inside it: `this.ctx.db.query` and
 * `this.ctx.publish` called within `transaction(async (tx) => …)` (however deep) join it, so an
 * event is stored in the outbox with the state change it announces. A subscription handler of a
 * service with PostgreSQL runs inside the transaction that records the message in the inbox.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { postgresEventStore } from '../events/outbox.js';
import { inSavepoint } from './savepoint.js';
import { connectAtStart, serverOf, type Resource, type ResourceFactory } from '../resource.js';
import type { EmbeddedPostgres } from './pglite.js';

export interface QueryResult<Row> {
  readonly rows: Row[];
  /** Rows a command changed (or returned). */
  readonly rowCount: number;
}

export interface Queryable {
  /** One statement with `$1`-style parameters. */
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Postgres extends Queryable {
  /**
   * Runs `work` on one connection inside BEGIN … COMMIT; a throw rolls it back and rethrows.
   * Inside another transaction it becomes a savepoint of that one.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The connection pool, when the database is a PostgreSQL server. */
  readonly pool?: pg.Pool;
}

/** How long a connection attempt or a health ping may take. */
const CONNECT_TIMEOUT_MS = 5_000;

const asResult = <Row>(r: pg.QueryResult): QueryResult<Row> => ({ rows: r.rows as Row[], rowCount: r.rowCount ?? r.rows.length });

/** The transaction in hand, by pool: what `query`, `transaction` and `publish` inside it join. */
interface Scope {
  readonly pool: pg.Pool;
  readonly client: pg.PoolClient;
  savepoints: number;
  /** Set at COMMIT or ROLLBACK: a callback the transaction left behind must not use its connection. */
  ended: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

const clientQueryable = (client: pg.ClientBase): Queryable => ({
  query: async <Row extends object>(text: string, params?: readonly unknown[]) => asResult<Row>(await client.query(text, params as unknown[] | undefined)),
});

/** `query` and `transaction` over a pg pool. */
export function poolDatabase(pool: pg.Pool): Postgres {
  const inHand = (): Scope | undefined => {
    const scope = scopes.getStore();
    return scope?.pool === pool && !scope.ended ? scope : undefined;
  };
  return {
    pool,
    async query<Row extends object>(text: string, params?: readonly unknown[]) {
      const scope = inHand();
      return asResult<Row>(await (scope ? scope.client : pool).query(text, params as unknown[] | undefined));
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const outer = inHand();
      if (outer) return inSavepoint((text) => outer.client.query(text), `microgen_${++outer.savepoints}`, () => work(clientQueryable(outer.client)));
      const client = await pool.connect();
      const scope: Scope = { pool, client, savepoints: 0, ended: false };
      try {
        await client.query('BEGIN');
        const result = await scopes.run(scope, () => work(clientQueryable(client)));
        scope.ended = true;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        scope.ended = true;
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

/** PostgreSQL's "database does not exist". */
const INVALID_CATALOG = '3D000';

/**
 * Creates the database a URL names, through the server's `postgres` database: a service's first
 * start on a fresh server then needs no set-up beyond a role that may create databases.
 */
async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (err) {
    // Another instance created it meanwhile.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

/** `pglite:<folder>`: an embedded database persisted in that folder, instead of a server. */
export const EMBEDDED_SCHEME = 'pglite:';

/**
 * The embedded database (runtime/src/db/pglite.ts), loaded only when a URL asks for it, so a
 * service on a server never loads PGlite's WebAssembly.
 */
function embeddedResource(dir: string, logger: Logger): Resource<Postgres> {
  let db: EmbeddedPostgres | undefined;
  const open = (): EmbeddedPostgres => {
    if (!db) throw new Error('the embedded database is not open yet');
    return db;
  };
  const client: Postgres = {
    query: (text, params) => open().query(text, params),
    transaction: (work) => open().transaction(work),
  };
  return {
    name: 'database',
    client,
    postgres: client,
    // The outbox and inbox work the same on the embedded database (NOTIFY included).
    eventStore: postgresEventStore(client, {
      logger,
      listen: async (channel, onNotify) => {
        const stop = await open().listen(channel, onNotify);
        let closed!: () => void;
        const ended = new Promise<void>((resolve) => (closed = resolve));
        return {
          closed: ended,
          close: async () => {
            await stop();
            closed();
          },
        };
      },
    }),
    async open() {
      const started = Date.now();
      const { openPglite } = await import('./pglite.js');
      db = await openPglite(dir);
      logger.info(`embedded database ready in ${dir} (${Date.now() - started} ms)`);
    },
    health: async () => {
      await open().query('SELECT 1');
    },
    close: async () => db?.close(),
    describe: () => `embedded PostgreSQL in ${dir}`,
  };
}

/**
 * The service's database from `DATABASE_URL` (or `<SERVICE>_DATABASE_URL`): a PostgreSQL server,
 * or with `pglite:<folder>` an embedded one. Unset, `microgen dev` gives the service an embedded
 * database in its data folder; otherwise `defaultUrl`.
 */
export function postgres(defaultUrl: string): ResourceFactory<Postgres> {
  return ({ service, logger, setting, devDataDir }) => {
    const url = setting('DATABASE_URL') ?? (devDataDir ? `${EMBEDDED_SCHEME}${join(devDataDir, service)}` : defaultUrl);
    if (url.startsWith(EMBEDDED_SCHEME)) return embeddedResource(url.slice(EMBEDDED_SCHEME.length), logger);
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, max: Number(setting('DATABASE_POOL_SIZE') ?? 10) });
    // An idle connection the server dropped (a restart, say) must not crash the process.
    pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'idle database connection lost'));
    const health = async (): Promise<void> => {
      await pool.query('SELECT 1');
    };
    const db = poolDatabase(pool);
    const resource: Resource<Postgres> = {
      name: 'database',
      client: db,
      postgres: db,
      // The outbox and inbox of the service's events live in its own database.
      eventStore: postgresEventStore(db, {
        logger,
        listen: async (channel, onNotify) => {
          const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
          client.on('error', () => undefined);
          client.on('notification', onNotify);
          await client.connect();
          await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
          return { closed: new Promise<void>((resolve) => client.once('end', resolve)), close: () => client.end() };
        },
      }),
      open: () =>
        connectAtStart(logger, 'database', async () => {
          try {
            await health();
          } catch (err) {
            if ((err as { code?: string }).code !== INVALID_CATALOG) throw err;
            await createDatabase(url);
            logger.info(`created the database ${new URL(url).pathname.slice(1)}`);
            await health();
          }
        }),
      health,
      close: () => pool.end(),
      describe: () => `PostgreSQL at ${serverOf(url)}`,
    };
    return resource;
  };
}
