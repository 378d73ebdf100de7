/**
 * An embedded PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) behind the same `Postgres`
 * interface handlers use on a server. `microgen dev` gives every PostgreSQL service one,
 * persisted in a folder, so the whole system runs with nothing installed.
 *
 * Differences from a server worth knowing: one connection (statements run one at a time; a
 * transaction holds the database until it ends), and `bigint`/`count(*)` arrive as numbers, not
 * strings.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Postgres, Queryable, QueryResult } from './postgres.js';

interface PgliteResults {
  rows: unknown[];
  affectedRows?: number;
}

const asResult = <Row>(r: PgliteResults): QueryResult<Row> => ({ rows: r.rows as Row[], rowCount: r.affectedRows || r.rows.length });

export interface EmbeddedPostgres extends Postgres {
  close(): Promise<void>;
}

/** Opens (creating on first use) the embedded database persisted in `dir`. */
export async function openPglite(dir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const queryable = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row extends object>(text: string, params?: readonly unknown[]) {
      return asResult<Row>(await target.query(text, params as unknown[] | undefined));
    },
  });
  const top = queryable(db);
  return {
    query: top.query,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(queryable(tx)));
    },
    close: () => db.close(),
  };
}
