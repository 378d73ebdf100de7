/**
 * Idempotency keys (SPEC §5): a request to an unsafe method (POST, PUT, PATCH, DELETE) with an
 * `Idempotency-Key` header runs its handler once; the same key again gets the recorded answer
 * (status, content type, body) with `Idempotent-Replayed: true`. A saga step, or any caller that
 * cannot tell whether its request arrived, can then send it again safely.
 *
 * A key is claimed before the handler runs: a second request with it meanwhile is a 409 (retry
 * later), one with another method, URL, parameters or body is a 422. A 5xx (an unexpected throw)
 * is not recorded, so a retry can succeed; any other answer is, a refusal included.
 *
 * Records live in the service's PostgreSQL when it has one (`microgen_idempotency`: shared by
 * replicas, kept across restarts), else in memory (the newest `MEMORY_LIMIT` keys of this
 * process). Either way they expire after `IDEMPOTENCY_TTL`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Postgres } from '../db/postgres.js';
import { tablesOnce } from '../db/tables.js';
import { HttpError } from '../errors.js';
import type { HttpReply } from '../http/caller.js';
import { parseDuration } from '../events/topology.js';
import { REQUEST_ID_HEADER } from '../request-id.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** The `error` of the 409 a key still being handled gets: the caller may retry it. */
export const KEY_IN_USE = 'idempotency_key_in_use';
export const KEY_REUSED = 'idempotency_key_reused';
export const MAX_KEY_LENGTH = 255;
/** The methods whose requests honour the header; the others are idempotent already. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const DEFAULT_TTL = '24h';
/** How many answered keys a service without PostgreSQL keeps (the oldest go first). */
export const MEMORY_LIMIT = 10_000;
/**
 * How long a claim on a server holds without its owner: renewed while the handler runs, it ends
 * when a replica dies mid-request, and the key may be claimed again.
 */
const LEASE_MS = 30_000;
const PRUNE_EVERY_MS = 600_000;

/** An answer as it was sent. */
export interface RecordedResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string;
}

/** A key held while its handler runs: recorded with the answer, or given up (a 5xx). */
export interface Claim {
  complete(response: RecordedResponse): Promise<void>;
  release(): Promise<void>;
}

export type ClaimOutcome =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  | { readonly kind: 'replay'; readonly response: RecordedResponse }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'mismatch' };

/** Where one service keeps its keys. */
export interface IdempotencyStore {
  /** Whether records survive a restart and are shared by replicas (PostgreSQL). */
  readonly durable: boolean;
  /** Creates what it needs (a table), once. */
  prepare(): Promise<void>;
  /** Claims `key` for a request of this `fingerprint`, or says what holds it. */
  claim(key: string, fingerprint: string): Promise<ClaimOutcome>;
}

/** What decides whether two requests with one key are the same request. */
export function requestFingerprint(method: string, route: string, request: { readonly params: unknown; readonly query: unknown; readonly body: unknown }): string {
  const canonical = JSON.stringify({ params: request.params, query: request.query, body: request.body ?? null }, (_, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
  return createHash('sha256').update(`${method} ${route}\n${canonical}`).digest('base64url');
}

/** The in-process store: keys being handled, and the newest `limit` answers until they expire. */
export function memoryIdempotencyStore({ ttlMs, limit = MEMORY_LIMIT }: { readonly ttlMs: number; readonly limit?: number }): IdempotencyStore {
  const running = new Map<string, { readonly fingerprint: string }>();
  // A Map keeps insertion order, and every record lives ttlMs: the first is the oldest and expires first.
  const done = new Map<string, { readonly fingerprint: string; readonly response: RecordedResponse; readonly expiresAt: number }>();
  const sweep = (): void => {
    const now = Date.now();
    for (const [key, record] of done) {
      if (done.size <= limit && record.expiresAt > now) break;
      done.delete(key);
    }
  };
  return {
    durable: false,
    prepare: async () => undefined,
    async claim(key, fingerprint) {
      sweep();
      const record = done.get(key);
      if (record) return record.fingerprint === fingerprint ? { kind: 'replay', response: record.response } : { kind: 'mismatch' };
      const holder = running.get(key);
      if (holder) return holder.fingerprint === fingerprint ? { kind: 'in-progress' } : { kind: 'mismatch' };
      const mine = { fingerprint };
      running.set(key, mine);
      const end = (): void => {
        if (running.get(key) === mine) running.delete(key);
      };
      return {
        kind: 'claimed',
        claim: {
          async complete(response) {
            end();
            done.delete(key);
            done.set(key, { fingerprint, response, expiresAt: Date.now() + ttlMs });
            sweep();
          },
          release: async () => end(),
        },
      };
    },
  };
}

export interface PostgresIdempotencyOptions {
  readonly service: string;
  readonly ttlMs: number;
  readonly logger: Logger;
  /** How long a claim holds unless renewed (default 30 s). */
  readonly leaseMs?: number;
  /** How often expired rows are deleted (default 10 min). */
  readonly pruneEveryMs?: number;
}

interface Row {
  fingerprint: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

const TABLE = `
CREATE TABLE IF NOT EXISTS microgen_idempotency (
  service text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  token text NOT NULL,
  status integer,
  content_type text,
  body text,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (service, key)
);
CREATE INDEX IF NOT EXISTS microgen_idempotency_expires_at ON microgen_idempotency (expires_at)`;

/** An arbitrary constant: replicas creating the table at once take turns on this lock. */
const TABLE_LOCK = 727_274_002;

/** `now() + ms`, in SQL, for a parameter. */
const after = (param: string): string => `now() + ${param}::double precision * interval '1 millisecond'`;

/**
 * A row per (service, key): `status` is null while the handler runs, `expires_at` is the end of
 * the claim's lease until then and of the record afterwards. A key is claimed with one
 * `INSERT … ON CONFLICT`, which takes over only an expired row, so two replicas cannot both win;
 * `token` names the claim, so a claimant whose lease was taken over writes nothing.
 */
export function postgresIdempotencyStore(db: Postgres, options: PostgresIdempotencyOptions): IdempotencyStore {
  const { service, ttlMs, logger } = options;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const pruneEveryMs = options.pruneEveryMs ?? PRUNE_EVERY_MS;
  let lastPrune = 0;

  const prepare = tablesOnce(db, TABLE_LOCK, TABLE);

  const prune = async (): Promise<void> => {
    if (Date.now() - lastPrune < pruneEveryMs) return;
    lastPrune = Date.now();
    await db.query('DELETE FROM microgen_idempotency WHERE expires_at < now()');
  };

  const claimed = (key: string, token: string): Claim => {
    const mine = 'service = $1 AND key = $2 AND token = $3';
    const renew = setInterval(() => {
      db.query(`UPDATE microgen_idempotency SET expires_at = ${after('$4')} WHERE ${mine} AND status IS NULL`, [service, key, token, leaseMs]).catch((err: unknown) =>
        logger.warn({ err: { message: (err as Error).message } }, 'renewing an idempotency claim failed'),
      );
    }, leaseMs / 3);
    renew.unref();
    return {
      async complete(response) {
        clearInterval(renew);
        await db.query(`UPDATE microgen_idempotency SET status = $4, content_type = $5, body = $6, expires_at = ${after('$7')} WHERE ${mine}`, [
          service,
          key,
          token,
          response.status,
          response.contentType ?? null,
          response.body ?? null,
          ttlMs,
        ]);
      },
      async release() {
        clearInterval(renew);
        await db.query(`DELETE FROM microgen_idempotency WHERE ${mine}`, [service, key, token]);
      },
    };
  };

  return {
    durable: true,
    prepare,
    async claim(key, fingerprint) {
      await prepare();
      await prune();
      const token = randomUUID();
      // The row found may end (released, expired) before it is read: then claim again.
      for (let tries = 0; tries < 3; tries++) {
        const won = await db.query(
          `INSERT INTO microgen_idempotency (service, key, fingerprint, token, expires_at) VALUES ($1, $2, $3, $4, ${after('$5')})
           ON CONFLICT (service, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, token = EXCLUDED.token, status = NULL,
             content_type = NULL, body = NULL, expires_at = EXCLUDED.expires_at
           WHERE microgen_idempotency.expires_at < now()
           RETURNING 1`,
          [service, key, fingerprint, token, leaseMs],
        );
        if (won.rows.length === 1) return { kind: 'claimed', claim: claimed(key, token) };
        const { rows } = await db.query<Row>('SELECT fingerprint, status, content_type, body FROM microgen_idempotency WHERE service = $1 AND key = $2 AND expires_at >= now()', [service, key]);
        if (rows.length === 0) continue;
        const [row] = rows;
        if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
        if (row.status === null) return { kind: 'in-progress' };
        return { kind: 'replay', response: { status: row.status, ...(row.content_type !== null ? { contentType: row.content_type } : {}), ...(row.body !== null ? { body: row.body } : {}) } };
      }
      return { kind: 'in-progress' };
    },
  };
}

/** What a service's idempotency is opened from. */
export interface IdempotencyEnv {
  readonly service: string;
  readonly logger: Logger;
  setting(name: string): string | undefined;
  /** The service's PostgreSQL, when it has one. */
  readonly database?: Postgres;
}

/** The store of one service, with `IDEMPOTENCY_TTL` read (a malformed one throws). */
export async function openIdempotency({ service, logger, setting, database }: IdempotencyEnv): Promise<IdempotencyStore> {
  const text = setting('IDEMPOTENCY_TTL') ?? DEFAULT_TTL;
  const ttlMs = parseDuration(text);
  if (ttlMs === undefined || ttlMs <= 0) throw new Error(`IDEMPOTENCY_TTL: "${text}" is not a duration like 30m or 24h`);
  if (!database) return memoryIdempotencyStore({ ttlMs });
  const store = postgresIdempotencyStore(database, { service, ttlMs, logger });
  await store.prepare().catch((err: unknown) => logger.warn(`the idempotency table is not ready yet (${(err as Error).message}); retrying`));
  return store;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Answers a request that carries `Idempotency-Key`: claims the key and answers with `run` (which
 * never throws: a handler's error comes back as its `Error` reply), recording what is sent unless
 * it is a 5xx; or replays the recorded answer; or refuses (409, 422, 400 for a malformed key).
 * The answer is serialised here, by the route's response schema as Fastify would, so that the
 * bytes recorded are the bytes sent.
 */
export async function answerOnce(store: IdempotencyStore, request: FastifyRequest, reply: FastifyReply, run: () => Promise<HttpReply>): Promise<FastifyReply> {
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new HttpError(400, `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters long`);
  }
  let outcome: ClaimOutcome;
  try {
    outcome = await store.claim(key, requestFingerprint(request.method, request.routeOptions.url ?? request.url, request));
  } catch (err) {
    throw new HttpError(503, `idempotency keys cannot be checked now: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (outcome.kind === 'in-progress') throw new HttpError(409, 'a request with this Idempotency-Key is still being handled; retry it later', KEY_IN_USE);
  if (outcome.kind === 'mismatch') throw new HttpError(422, 'this Idempotency-Key was used for another request (another method, URL or body)', KEY_REUSED);
  reply.header(REQUEST_ID_HEADER, request.id);
  if (outcome.kind === 'replay') {
    const { status, contentType, body } = outcome.response;
    if (contentType !== undefined) reply.header('content-type', contentType);
    return reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true').code(status).send(body);
  }
  const { claim } = outcome;
  let body: string | undefined;
  let status: number;
  try {
    const answer = await run();
    status = answer.status;
    reply.code(status);
    if (answer.body !== undefined) body = String(reply.serialize(answer.body));
  } catch (err) {
    await claim.release().catch(() => undefined);
    throw err;
  }
  try {
    if (status >= 500) await claim.release();
    else await claim.complete({ status, ...(body !== undefined ? { contentType: JSON_CONTENT_TYPE, body } : {}) });
  } catch (err) {
    // The answer goes out anyway; a retry meets the claim until its lease ends.
    request.log.warn({ err: { message: (err as Error).message } }, 'recording the answer of an idempotency key failed');
  }
  if (body !== undefined) reply.header('content-type', JSON_CONTENT_TYPE);
  return reply.send(body);
}
