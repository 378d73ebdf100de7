/**
 * What a service depends on at run time (its database, the broker, …) as one small interface:
 * the service opens each resource at start, asks each for its health on `GET /health`, and
 * closes them in reverse order on shutdown.
 */
import type { Logger } from 'pino';
import type { Postgres } from './db/postgres.js';
import type { EventStore } from './events/outbox.js';

export interface Resource<Client = unknown> {
  /** Shown in logs and in `/health` (`database`, `broker`). */
  readonly name: string;
  /** What handlers use (`this.ctx.db`). */
  readonly client: Client;
  /**
   * Connects. A dependency that is down at start must not stop the service: log, let `/health`
   * report it down, and reconnect. Reject only for what no retry can mend (a malformed URL).
   */
  open(): Promise<void>;
  /** Resolves while the dependency answers, rejects when it does not. */
  health(): Promise<void>;
  close(): Promise<void>;
  /** What backs it, for people (`PostgreSQL at 127.0.0.1:5432/user`); never a password. */
  describe?(): string;
  /** A database that can hold the service's event outbox and inbox (PostgreSQL) offers them here. */
  readonly eventStore?: EventStore;
  /** A PostgreSQL database (a server or the embedded one) where the runtime keeps its own records (idempotency keys). */
  readonly postgres?: Postgres;
}

/** What a resource factory is given: the service's name, its logger and its settings. */
export interface ResourceEnv {
  readonly service: string;
  readonly logger: Logger;
  /** A setting of this service (`DATABASE_URL`): see `settingOf`. */
  setting(name: string): string | undefined;
  /**
   * Set by `microgen dev` (`MICROGEN_DEV_DATA`): a folder where a resource with nothing configured
   * keeps an embedded stand-in (PostgreSQL services get PGlite there).
   */
  readonly devDataDir?: string;
}

/** Makes a resource for one service; the generated service definition lists these. */
export type ResourceFactory<Client> = (env: ResourceEnv) => Resource<Client>;

/** How long `/health` waits for one dependency. */
export const HEALTH_TIMEOUT_MS = 2_000;

export type HealthState = 'up' | 'down';

export interface HealthReport {
  readonly status: 'ok' | 'down';
  readonly checks: Record<string, HealthState>;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Asks every resource at once; one that is down or slow makes the whole report `down`. A failed
 * check is logged (a warning), unless `quiet` (a start-up summary says it itself).
 */
export async function healthReport(
  resources: readonly Pick<Resource, 'name' | 'health'>[],
  logger: Logger,
  { timeoutMs = HEALTH_TIMEOUT_MS, quiet = false }: { timeoutMs?: number; quiet?: boolean } = {},
): Promise<HealthReport> {
  const results = await Promise.all(
    resources.map(async (r): Promise<[string, HealthState]> => {
      try {
        await withTimeout(r.health(), timeoutMs, r.name);
        return [r.name, 'up'];
      } catch (err) {
        if (!quiet) logger.warn({ err: { message: (err as Error).message }, check: r.name }, `health check ${r.name} failed`);
        return [r.name, 'down'];
      }
    }),
  );
  const up = results.every(([, state]) => state === 'up');
  return { status: up ? 'ok' : 'down', checks: Object.fromEntries(results) };
}

/** How long a start waits for a dependency before going on without it. */
const START_BUDGET_MS = 2_000;

/**
 * Connects at start without failing the start: a dependency that is down is one log line, and
 * `/health` reports it until the client's own reconnection succeeds.
 */
export async function connectAtStart(logger: Logger, name: string, connect: () => Promise<void>, budgetMs = START_BUDGET_MS): Promise<void> {
  try {
    // A client may keep trying for seconds (MongoDB's server selection); the service does not
    // wait for it: it starts, and the client goes on connecting in the background.
    const attempt = connect();
    attempt.catch(() => undefined); // settled later, once the client gives up: not unhandled
    await withTimeout(attempt, budgetMs, name);
    logger.info(`${name} connected`);
  } catch (err) {
    logger.error(`${name} unreachable at start (${(err as Error).message}); /health reports it down until it answers`);
  }
}

/** `host:port/database` of a URL, without the credentials, for logs and summaries. */
export function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}
