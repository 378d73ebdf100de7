/**
 * The transactional outbox and the inbox of a service with PostgreSQL, in its own database
 * (tables created at start: `microgen_outbox`, `microgen_inbox`).
 *
 * Outbox: `this.ctx.publish` stores the event in `microgen_outbox` (inside the transaction in
 * hand, if any: the event exists exactly when the state change it announces was committed), and
 * a relay publishes stored events in order and deletes them once the broker confirmed them.
 * Several replicas relay at once without publishing a row twice (`FOR UPDATE SKIP LOCKED`);
 * `NOTIFY` wakes the relays after a commit, and polling is what guarantees progress. A crash
 * between the commit and the relay loses nothing: the row waits for the next relay. A crash
 * after publishing and before the delete publishes the row again, with the same message id,
 * which consumers ignore as a duplicate.
 *
 * Inbox: a subscription handler runs inside a transaction that first inserts (queue, message
 * id) into `microgen_inbox`; a conflict means the message was handled and committed already,
 * so it is acknowledged without running the handler. The handler's own writes
 * (`this.ctx.db.query`) and publishes join that transaction: handled exactly once.
 */
import type { Logger } from 'pino';
import type { Postgres } from '../db/postgres.js';
import { tablesOnce } from '../db/tables.js';
import type { Deduper } from './dedupe.js';
import type { WireMessage } from './message.js';

/** Rows one relay transaction publishes at most. */
const BATCH = 200;
/** The NOTIFY channel that wakes relays. */
export const OUTBOX_CHANNEL = 'microgen_outbox';
/** How long an inbox row is kept: a duplicate arriving later than this is handled again. */
const INBOX_RETENTION = '7 days';
const PRUNE_EVERY_MS = 3_600_000;
const MAX_BACKOFF_MS = 30_000;

/** A LISTEN connection: `closed` settles when it ends (the server restarted, say). */
export interface Listener {
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface EventStoreOptions {
  readonly logger: Logger;
  /** Opens a connection that calls `onNotify` on each NOTIFY of `channel`. */
  readonly listen: (channel: string, onNotify: () => void) => Promise<Listener>;
}

export interface Relay {
  /** Look now (an event was stored). */
  wake(): void;
  /** Finishes the batch in hand and stops. */
  stop(): Promise<void>;
}

/** Where a service keeps its outgoing events and the ids of the messages it handled. */
export interface EventStore extends Deduper {
  /** Creates the tables, once (several replicas may start at the same moment). */
  prepare(): Promise<void>;
  /** Stores an event for the relay: in the transaction in hand, if any, else on its own. */
  enqueue(message: WireMessage): Promise<void>;
  /** Publishes stored events through `publish`, oldest first, until stopped. */
  relay(publish: (message: WireMessage) => Promise<void>, intervalMs: number): Relay;
}

interface OutboxRow {
  id: string;
  message_id: string;
  name: string;
  version: number;
  request_id: string | null;
  body: string;
}

const TABLES = `
CREATE TABLE IF NOT EXISTS microgen_outbox (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL,
  name text NOT NULL,
  version integer NOT NULL,
  request_id text,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS microgen_inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS microgen_inbox_handled_at ON microgen_inbox (handled_at);`;

/** An arbitrary constant: replicas creating the tables at once take turns on this lock. */
const TABLES_LOCK = 727_274_001;

export function postgresEventStore(db: Postgres, options: EventStoreOptions): EventStore {
  const { logger } = options;

  const prepare = tablesOnce(db, TABLES_LOCK, TABLES);

  /** One relay transaction: lock a batch, publish it (confirms pipelined), delete it. */
  const relayBatch = async (publish: (message: WireMessage) => Promise<void>): Promise<number> => {
    await prepare();
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `SELECT id, message_id, name, version, request_id, body FROM microgen_outbox ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      await Promise.all(
        rows.map((r) => publish({ id: r.message_id, name: r.name, version: r.version, body: r.body, ...(r.request_id !== null ? { requestId: r.request_id } : {}) })),
      );
      await tx.query('DELETE FROM microgen_outbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  };

  return {
    durable: true,
    prepare,

    async enqueue(message) {
      await prepare();
      // One round trip: the row and the wake-up (delivered at COMMIT when inside a transaction).
      await db.query(
        `WITH stored AS (INSERT INTO microgen_outbox (message_id, name, version, request_id, body) VALUES ($1, $2, $3, $4, $5) RETURNING id)
         SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM stored`,
        [message.id, message.name, message.version, message.requestId ?? null, message.body],
      );
    },

    async once(consumer, messageId, work) {
      await prepare();
      return db.transaction(async (tx) => {
        const { rowCount } = await tx.query('INSERT INTO microgen_inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [consumer, messageId]);
        if (rowCount === 0) return false;
        await work();
        return true;
      });
    },

    relay(publish, intervalMs) {
      let stopped = false;
      let pending = false;
      let interrupt: (() => void) | undefined;
      let listener: Listener | undefined;
      let lastPrune = 0;
      const wake = (): void => {
        pending = true;
        interrupt?.();
      };
      const pause = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          const timer = setTimeout(done, ms);
          function done(): void {
            clearTimeout(timer);
            interrupt = undefined;
            resolve();
          }
          interrupt = done;
        });
      const listen = async (): Promise<void> => {
        if (listener) return;
        try {
          const opened = await options.listen(OUTBOX_CHANNEL, wake);
          listener = opened;
          void opened.closed.then(() => {
            if (listener === opened) listener = undefined;
          });
        } catch (err) {
          logger.debug({ err: { message: (err as Error).message } }, 'outbox LISTEN failed; polling meanwhile');
        }
      };
      const prune = async (): Promise<void> => {
        if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
        lastPrune = Date.now();
        await db.query(`DELETE FROM microgen_inbox WHERE handled_at < now() - interval '${INBOX_RETENTION}'`);
      };
      const loop = (async () => {
        let failures = 0;
        while (!stopped) {
          pending = false;
          try {
            await listen();
            const sent = await relayBatch(publish);
            await prune();
            if (failures > 0) logger.info('outbox relay resumed');
            failures = 0;
            if (sent === BATCH) continue;
          } catch (err) {
            failures++;
            if (failures === 1) logger.warn({ err: { message: (err as Error).message } }, 'outbox relay failed; retrying with backoff');
          }
          if (stopped) break;
          if (pending && failures === 0) continue;
          await pause(failures > 0 ? Math.min(intervalMs * 2 ** failures, MAX_BACKOFF_MS) : intervalMs);
        }
      })();
      return {
        wake,
        async stop() {
          stopped = true;
          interrupt?.();
          await loop;
          await listener?.close().catch(() => undefined);
        },
      };
    },
  };
}
