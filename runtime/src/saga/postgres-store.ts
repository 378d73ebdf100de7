/**
 * The sagas of a service with PostgreSQL, in its own database (`microgen_sagas`, created at
 * start), on a server and on the embedded PGlite alike: one row a saga, its steps and history as
 * JSON. Leases use the database's clock, so replicas on machines whose clocks differ agree on when
 * one ran out; a claim locks the rows it takes (`FOR UPDATE SKIP LOCKED`), so two replicas never
 * take the same saga.
 */
import type { Postgres } from '../db/postgres.js';
import { tablesOnce } from '../db/tables.js';
import type { HistoryEntry, SagaRecord, SagaState, StepRecord } from './definition.js';
import { leased, type SagaStore } from './store.js';

const TABLES = `
CREATE TABLE IF NOT EXISTS microgen_sagas (
  id text PRIMARY KEY,
  saga text NOT NULL,
  state text NOT NULL,
  idempotency_key text,
  input jsonb NOT NULL,
  steps jsonb NOT NULL,
  history jsonb NOT NULL,
  version integer NOT NULL,
  owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (saga, idempotency_key)
);
CREATE INDEX IF NOT EXISTS microgen_sagas_state ON microgen_sagas (saga, state, created_at)`;

/** An arbitrary constant: replicas creating the table at once take turns on this lock. */
const TABLES_LOCK = 727_274_003;

interface Row {
  id: string;
  saga: string;
  state: SagaState;
  idempotency_key: string | null;
  input: unknown;
  steps: StepRecord[];
  history: HistoryEntry[];
  version: number;
  created_at: Date | string;
}

const COLUMNS = 'id, saga, state, idempotency_key, input, steps, history, version, created_at';

const recordOf = (row: Row): SagaRecord => ({
  id: row.id,
  saga: row.saga,
  state: row.state,
  input: row.input,
  ...(row.idempotency_key !== null ? { idempotencyKey: row.idempotency_key } : {}),
  steps: row.steps,
  history: row.history,
  version: row.version,
  createdAt: new Date(row.created_at).toISOString(),
});

/** `now()` plus the milliseconds in parameter `$n`. */
const leaseUntil = (n: number): string => `now() + $${n}::integer * interval '1 millisecond'`;

export function postgresSagaStore(db: Postgres): SagaStore {
  const prepare = tablesOnce(db, TABLES_LOCK, TABLES);

  return {
    prepare,

    async create(record, owner, leaseMs) {
      await prepare();
      const { rows } = await db.query<Row>(
        `INSERT INTO microgen_sagas (id, saga, state, idempotency_key, input, steps, history, version, owner, lease_until, created_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, ${leaseUntil(10)}, $11)
         ON CONFLICT (saga, idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
        [
          record.id,
          record.saga,
          record.state,
          record.idempotencyKey ?? null,
          JSON.stringify(record.input),
          JSON.stringify(record.steps),
          JSON.stringify(record.history),
          record.version,
          owner,
          leaseMs,
          record.createdAt,
        ],
      );
      if (rows.length > 0) return { record: recordOf(rows[0]), created: true };
      const same = await db.query<Row>(`SELECT ${COLUMNS} FROM microgen_sagas WHERE saga = $1 AND idempotency_key = $2`, [record.saga, record.idempotencyKey]);
      return { record: recordOf(same.rows[0]), created: false };
    },

    async get(saga, id) {
      await prepare();
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM microgen_sagas WHERE saga = $1 AND id = $2`, [saga, id]);
      return rows.length > 0 ? recordOf(rows[0]) : undefined;
    },

    async list(saga, { state, limit }) {
      await prepare();
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM microgen_sagas WHERE saga = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC, id LIMIT $3`,
        [saga, state ?? null, limit],
      );
      return rows.map(recordOf);
    },

    async save(record, owner, leaseMs) {
      const held = leased(record.state);
      const { rowCount } = await db.query(
        `UPDATE microgen_sagas SET state = $3, steps = $4::jsonb, history = $5::jsonb, version = version + 1,
           owner = $6, lease_until = CASE WHEN $6::text IS NULL THEN NULL ELSE ${leaseUntil(7)} END, updated_at = now()
         WHERE id = $1 AND version = $2`,
        [record.id, record.version, record.state, JSON.stringify(record.steps), JSON.stringify(record.history), held ? owner : null, leaseMs],
      );
      return rowCount === 1;
    },

    async renew(saga, ids, owner, leaseMs) {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE microgen_sagas SET lease_until = ${leaseUntil(4)}
         WHERE saga = $1 AND id = ANY($2::text[]) AND owner = $3 AND state IN ('running', 'compensating') RETURNING id`,
        [saga, ids, owner, leaseMs],
      );
      return rows.map((r) => r.id);
    },

    async claim(saga, owner, leaseMs, busy, limit) {
      await prepare();
      const { rows } = await db.query<Row>(
        `UPDATE microgen_sagas SET owner = $2, lease_until = ${leaseUntil(3)}, version = version + 1, updated_at = now()
         WHERE id IN (
           SELECT id FROM microgen_sagas
           WHERE saga = $1 AND state IN ('running', 'compensating') AND NOT (id = ANY($4::text[]))
             AND (owner IS NULL OR owner = $2 OR lease_until < now())
           ORDER BY created_at LIMIT $5 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [saga, owner, leaseMs, busy, limit],
      );
      return rows.map(recordOf);
    },

    async release(saga, id, owner) {
      await db.query('UPDATE microgen_sagas SET owner = NULL, lease_until = NULL WHERE saga = $1 AND id = $2 AND owner = $3', [saga, id, owner]);
    },
  };
}
