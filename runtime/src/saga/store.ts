/**
 * Where the saga engine keeps its sagas: `SagaStore`, and the in-memory store of services without
 * PostgreSQL (and of `microgen dev` in memory). The PostgreSQL store is in postgres-store.ts.
 *
 * Writes are optimistic: each one names the version it read, and bumps it; a write based on an
 * older version is refused, which is how an engine learns that another one took its saga over.
 * A saga being run is leased to one owner (an engine) until a time; an owner that dies stops
 * renewing, and the saga is claimed by another owner once the lease has run out.
 */
import { SETTLED, type SagaRecord, type SagaState } from './definition.js';

export interface SagaStore {
  /** Creates what the store needs (tables), once. */
  prepare(): Promise<void>;
  /**
   * Stores a new saga, leased to `owner` for `leaseMs`. When a saga of the same name was started
   * with the same idempotency key, stores nothing and returns that one (`created: false`).
   */
  create(record: SagaRecord, owner: string, leaseMs: number): Promise<{ record: SagaRecord; created: boolean }>;
  get(saga: string, id: string): Promise<SagaRecord | undefined>;
  /** Newest first. */
  list(saga: string, filter: { readonly state?: SagaState; readonly limit: number }): Promise<SagaRecord[]>;
  /**
   * Writes `record` if the stored version is still `record.version` (and stores version + 1):
   * false when another writer came first. A saga still running stays leased to `owner` for
   * `leaseMs`; a settled one (`completed`, `compensated`, `stuck`) is leased to nobody.
   */
  save(record: SagaRecord, owner: string, leaseMs: number): Promise<boolean>;
  /** Extends the leases `owner` holds on these sagas; returns the ids it still holds. */
  renew(saga: string, ids: readonly string[], owner: string, leaseMs: number): Promise<string[]>;
  /**
   * Leases to `owner` up to `limit` sagas that are `running` or `compensating` and whose lease ran
   * out (or that `owner` itself holds: restarted under the same name), except `busy`.
   */
  claim(saga: string, owner: string, leaseMs: number, busy: readonly string[], limit: number): Promise<SagaRecord[]>;
  /** Ends `owner`'s lease on a saga (a graceful stop), so another owner may claim it at once. */
  release(saga: string, id: string, owner: string): Promise<void>;
}

/** Whether a saga in this state is leased while it is stored. */
export const leased = (state: SagaState): boolean => !SETTLED.has(state);

interface Row {
  json: string;
  owner: string | null;
  leaseUntil: number;
}

/**
 * Sagas in this process's memory: lost when it stops (its sagas are neither finished nor
 * compensated then). Records are copied in and out, so the engine works with them as it does with
 * a database's.
 */
export function memorySagaStore(): SagaStore {
  const rows = new Map<string, Row>();
  const read = (row: Row): SagaRecord => JSON.parse(row.json) as SagaRecord;
  const ofSaga = (saga: string) => [...rows.values()].map((row) => ({ row, record: read(row) })).filter(({ record }) => record.saga === saga);
  const write = (record: SagaRecord, owner: string, leaseMs: number): void => {
    const held = leased(record.state);
    rows.set(record.id, { json: JSON.stringify(record), owner: held ? owner : null, leaseUntil: held ? Date.now() + leaseMs : 0 });
  };
  return {
    prepare: async () => undefined,
    async create(record, owner, leaseMs) {
      if (record.idempotencyKey !== undefined) {
        const same = ofSaga(record.saga).find(({ record: r }) => r.idempotencyKey === record.idempotencyKey);
        if (same) return { record: same.record, created: false };
      }
      write(record, owner, leaseMs);
      return { record: read(rows.get(record.id)!), created: true };
    },
    async get(saga, id) {
      const row = rows.get(id);
      const record = row && read(row);
      return record?.saga === saga ? record : undefined;
    },
    async list(saga, { state, limit }) {
      return ofSaga(saga)
        .map(({ record }) => record)
        .filter((r) => state === undefined || r.state === state)
        .reverse()
        .slice(0, limit);
    },
    async save(record, owner, leaseMs) {
      const row = rows.get(record.id);
      if (!row || read(row).version !== record.version) return false;
      write({ ...record, version: record.version + 1 }, owner, leaseMs);
      return true;
    },
    async renew(saga, ids, owner, leaseMs) {
      const held = ofSaga(saga).filter(({ record, row }) => ids.includes(record.id) && row.owner === owner && leased(record.state));
      for (const { row } of held) row.leaseUntil = Date.now() + leaseMs;
      return held.map(({ record }) => record.id);
    },
    async claim(saga, owner, leaseMs, busy, limit) {
      const now = Date.now();
      const free = ofSaga(saga)
        .filter(({ record, row }) => leased(record.state) && !busy.includes(record.id) && (row.owner === owner || row.owner === null || row.leaseUntil < now))
        .slice(0, limit);
      return free.map(({ record }) => {
        const claimed = { ...record, version: record.version + 1 };
        write(claimed, owner, leaseMs);
        return claimed;
      });
    },
    async release(saga, id, owner) {
      const row = rows.get(id);
      if (row?.owner === owner && read(row).saga === saga) row.leaseUntil = 0;
    },
  };
}
