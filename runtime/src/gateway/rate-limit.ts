/**
 * Rate limits per route (SPEC §2: `second`, `minute`, `hour`, each a fixed window; a route
 * without its own limit counts under the gateway's default on its own), through
 * @fastify/rate-limit. Each client is counted by its address, or by its token's subject on a
 * route that checks tokens. Counts live in this process by default, or in Redis
 * (`rateLimitStore: redis`) so that every replica of the gateway shares them; when Redis is
 * away, requests pass (as Kong's `fault_tolerant` does) and /health reports the store down.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type RateWindow = 'second' | 'minute' | 'hour';

export type RateLimit = { readonly [W in RateWindow]?: number };

export const WINDOW_MS: Readonly<Record<RateWindow, number>> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

export interface Verdict {
  /** False when one of the route's windows is used up. */
  readonly allowed: boolean;
  /** Seconds until the exhausted window(s) open again (the `Retry-After` of a 429). */
  readonly retryAfter: number;
  /** `X-RateLimit-Limit-Minute`, `X-RateLimit-Remaining-Minute`, … (Kong's names). */
  readonly headers: Readonly<Record<string, number>>;
}

/** Counts one request of `client` against a route's windows. */
export type Limiter = (request: FastifyRequest, client: string) => Promise<Verdict>;

/** Fixed window: the first request of a window sets its expiry; PTTL says how long is left. */
const FIXED_WINDOW = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { current, ttl }`;

type Counting = Redis & { gatewayRateLimit(key: string, windowMs: number): Promise<[number, number]> };

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A @fastify/rate-limit store on Redis whose keys are exactly `prefix` + the limiter's key. */
function redisStore(redis: Redis, prefix: string, logger: Logger) {
  const client = redis as Counting;
  if (typeof client.gatewayRateLimit !== 'function') redis.defineCommand('gatewayRateLimit', { numberOfKeys: 1, lua: FIXED_WINDOW });
  let failing = false;
  return class RedisWindowStore {
    incr(key: string, done: IncrCallback, timeWindow: number): void {
      client.gatewayRateLimit(prefix + key, timeWindow).then(
        ([current, ttl]) => {
          if (failing) logger.info('rate-limit store back; counting again');
          failing = false;
          done(null, { current, ttl });
        },
        (err: Error) => {
          if (!failing) logger.warn(`rate-limit store unreachable (${err.message}); requests pass uncounted until it is back`);
          failing = true;
          done(err);
        },
      );
    }

    child(): RedisWindowStore {
      return this;
    }
  };
}

/** The client a request is counted as: `sub:<subject>` after auth, else its address. */
export function clientKey(request: FastifyRequest, subject: string | undefined): string {
  return subject !== undefined ? `sub:${subject}` : `ip:${normalizeIP(request.ip)}`;
}

export interface LimiterOptions {
  /** Where counts live: this process, or a Redis shared by every replica. */
  readonly redis?: Redis;
  /** What Redis keys start with (`shop:gateway:rate:`). */
  readonly prefix: string;
  readonly logger: Logger;
}

/**
 * Registers @fastify/rate-limit on the gateway's server and returns a factory of limiters, one
 * per route: `limiter('GET /api/users', { minute: 100 })`.
 */
export async function rateLimiters(app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>, options: LimiterOptions): Promise<(route: string, limit: RateLimit) => Limiter> {
  const clients = new WeakMap<FastifyRequest, string>();
  await app.register(fastifyRateLimit, {
    global: false,
    skipOnError: true,
    ...(options.redis ? { store: redisStore(options.redis, options.prefix, options.logger) } : {}),
  });
  return (route, limit) => {
    const windows = (Object.keys(WINDOW_MS) as RateWindow[]).flatMap((window) => {
      const max = limit[window];
      if (max === undefined) return [];
      const count = app.createRateLimit({ max, timeWindow: WINDOW_MS[window], keyGenerator: (req) => `${route}:${window}:${clients.get(req)}` });
      return [{ window, count }];
    });
    return async (request, client) => {
      clients.set(request, client);
      const results = await Promise.all(windows.map(async (w) => ({ ...w, result: await w.count(request) })));
      const headers: Record<string, number> = {};
      let retryAfter = 0;
      for (const { window, result } of results) {
        if (result.isAllowed) continue;
        headers[`x-ratelimit-limit-${window}`] = result.max;
        headers[`x-ratelimit-remaining-${window}`] = result.remaining;
        if (result.isExceeded) retryAfter = Math.max(retryAfter, result.ttlInSeconds, 1);
      }
      return { allowed: retryAfter === 0, retryAfter, headers };
    };
  };
}
