/**
 * An embedded PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) behind the same `Postgres`
 * interface handlers use on a server. `microgen dev` gives every PostgreSQL service one,
 * persisted in a folder, so the whole system runs with nothing installed.
 *
 * Differences from a server worth knowing: one connection (statements run one at a time; a
 * transaction holds the database until it ends), and `bigint`/`count(*)` arrive as numbers, not
 * strings.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Postgres, Queryable, QueryResult } from './postgres.js';
import { inSavepoint } from './savepoint.js';

interface PgliteResults {
  rows: unknown[];
  affectedRows?: number;
}

const asResult = <Row>(r: PgliteResults): QueryResult<Row> => ({ rows: r.rows as Row[], rowCount: r.affectedRows || r.rows.length });

export interface EmbeddedPostgres extends Postgres {
  close(): Promise<void>;
  /** Calls `onNotify` on each NOTIFY of `channel`; resolves with what stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

/**
 * The transaction in hand, by database: with one connection, a `query` made inside a transaction
 * but not through `tx` would wait for that transaction forever, so it joins it instead (as the
 * server's pool does, see postgres.ts), and a nested `transaction` is a savepoint.
 */
interface Scope {
  readonly db: PGlite;
  readonly tx: Pick<PGlite, 'query'>;
  savepoints: number;
  ended: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * PGlite's own start parameters, with smaller shared buffers than the 128MB initdb writes in
 * postgresql.conf: each open sets up the whole buffer pool inside the WebAssembly memory, about
 * 0.9 s of CPU at 128MB against 0.1 s at 16MB, and 16MB of cache is ample for the development
 * data of one service. That start-up runs on the process's one thread, so the databases of one process
 * (`microgen dev`) pay it one after another. (Compiling the WebAssembly is not the cost: handing
 * every instance one compiled module, PGlite's `pgliteWasmModule`, measured no faster.)
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** Opens (creating on first use) the embedded database persisted in `dir`. */
export async function openPglite(dir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir, { startParams: START_PARAMS });
  const queryable = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row extends object>(text: string, params?: readonly unknown[]) {
      return asResult<Row>(await target.query(text, params as unknown[] | undefined));
    },
  });
  const inHand = (): Scope | undefined => {
    const scope = scopes.getStore();
    return scope?.db === db && !scope.ended ? scope : undefined;
  };
  return {
    query: (text, params) => queryable(inHand()?.tx ?? db).query(text, params),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const outer = inHand();
      if (outer) return inSavepoint((text) => outer.tx.query(text), `microgen_${++outer.savepoints}`, () => work(queryable(outer.tx)));
      return db.transaction(async (tx) => {
        const scope: Scope = { db, tx, savepoints: 0, ended: false };
        try {
          return await scopes.run(scope, () => work(queryable(tx)));
        } finally {
          scope.ended = true;
        }
      });
    },
    async listen(channel, onNotify) {
      const unsubscribe = await db.listen(channel, onNotify);
      return () => unsubscribe();
    },
    close: () => db.close(),
  };
}
