/**
 * The runtime's own tables in a service's PostgreSQL (the outbox and inbox, idempotency records),
 * created at start with `CREATE … IF NOT EXISTS`. No driver is loaded here: the statements go
 * through the `Postgres` interface, on a server and on the embedded database alike.
 */
import type { Postgres } from './postgres.js';

/**
 * What creates the tables of `ddl` (statements separated by `;`) on first call and remembers it;
 * a failure (the database is away) is rethrown and tried again on the next call. Replicas that
 * start together take turns on the advisory lock `lock` (any constant of the caller's own).
 */
export function tablesOnce(db: Postgres, lock: number, ddl: string): () => Promise<void> {
  let created: Promise<void> | undefined;
  return () =>
    (created ??= db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [lock]);
        for (const statement of ddl.split(';').map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      })
      .catch((err: unknown) => {
        created = undefined;
        throw err;
      }));
}
