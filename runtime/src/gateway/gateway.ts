/**
 * The Node gateway: one Fastify server in front of the system. Every request is matched to a
 * route (routing.ts), its token checked when the route wants one (auth.ts), counted against the
 * route's limits (rate-limit.ts), then streamed to the upstream and back with
 * @fastify/reply-from (proxy.ts for the headers and failures). `/health` reports each upstream.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import fastifyReplyFrom from '@fastify/reply-from';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerBase, type RouteGenericInterface } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { settingOf } from '../env.js';
import { errorBody } from '../errors.js';
import { fixedEndpoint, serviceEndpoint, type Endpoint } from '../http/endpoint.js';
import { createLogger } from '../logger.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../request-id.js';
import { healthReport, serverOf, HEALTH_TIMEOUT_MS, type Resource } from '../resource.js';
import { closeServer, listen, StartError, urlOf } from '../service/service.js';
import type { HttpMethod } from '../service/definition.js';
import type { PartOptions, RunningPart } from '../system/system.js';
import { AuthFailure, authenticator, type Authenticator } from './auth.js';
import type { GatewayDefinition, GatewayRoute } from './definition.js';
import { clientHeaders, proxyFailure, upstreamHeaders } from './proxy.js';
import { clientKey, rateLimiters, type Limiter } from './rate-limit.js';
import { BadPath, normalizePath, routeMatcher, upstreamPath } from './routing.js';

/** The gateway's Fastify server. */
export type GatewayApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;

/** The part name: its logger, and the prefix of its settings in a shared process (`GATEWAY_PORT`). */
export const GATEWAY = 'gateway';

/** Where the Redis of `rateLimitStore: redis` is when `REDIS_URL` says nothing else. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export type GatewayOptions = PartOptions;

export interface RunningGateway extends RunningPart {
  readonly app: GatewayApp;
  /** The upstreams (and the rate-limit store), as `/health` checks them. */
  readonly resources: readonly Resource[];
}

/** An upstream as routes share it: a service (found per request) or a legacy base URL. */
interface Upstream extends Resource<undefined> {
  readonly endpoint: Endpoint;
}

/** A route, ready to serve: its upstream, its check and its counter. */
interface LiveRoute {
  readonly route: GatewayRoute;
  readonly methods?: readonly HttpMethod[];
  readonly path: string;
  readonly upstream: Upstream;
  readonly authenticate?: Authenticator;
  readonly limit?: Limiter;
}

/** `origin` and `pathname` of each base URL an endpoint hands out, parsed once. */
const parsedBases = new Map<string, { origin: string; pathname: string }>();
function parseBase(base: string): { origin: string; pathname: string } {
  let parsed = parsedBases.get(base);
  if (!parsed) {
    const url = new URL(base);
    parsed = { origin: url.origin, pathname: url.pathname };
    if (parsedBases.size > 1000) parsedBases.clear();
    parsedBases.set(base, parsed);
  }
  return parsed;
}

/** A legacy system counts as up when it answers anything at all; a service when its /health says so. */
function upstreamResource(name: string, endpoint: Endpoint, healthPath: string | undefined): Upstream {
  return {
    name,
    client: undefined,
    endpoint,
    describe: () => endpoint.where ?? name,
    open: async () => undefined,
    close: async () => undefined,
    async health() {
      const base = await endpoint.url();
      const res = await fetch(healthPath ? `${base.replace(/\/$/, '')}${healthPath}` : base, { method: 'GET', signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS), redirect: 'manual' });
      await res.body?.cancel();
      if (healthPath && !res.ok) throw new Error(`${name} answered ${res.status} to ${healthPath}`);
    },
  };
}

/** `TRUST_PROXY`: `true` when the gateway sits behind a load balancer whose `X-Forwarded-*` it may believe. */
function trustProxyOf(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** Answers with the `Error` shape (and the request id). */
function sendError(reply: FastifyReply<RouteGenericInterface, RawServerBase>, status: number, message: string): void {
  reply.header(REQUEST_ID_HEADER, reply.request.id).code(status).send(errorBody(status, message));
}

/** Connects the Redis that holds shared counts; loaded only when the spec asks for it. */
async function openRedis(url: string, logger: Logger): Promise<Resource<Redis>> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined); // the store logs what matters (see rate-limit.ts)
  try {
    await redis.connect();
  } catch (err) {
    logger.error(`rate-limit store at ${serverOf(url)} unreachable at start (${(err as Error).message}); requests pass uncounted until it answers`);
  }
  const resource: Resource<Redis> = {
    name: 'rate-limit store',
    client: redis,
    describe: () => `Redis at ${serverOf(url)}`,
    open: async () => undefined,
    health: async () => {
      await redis.ping();
    },
    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
  return resource;
}

/** Starts the gateway: builds every route, listens on `HOST`:`PORT`, and stops gracefully. */
export async function runGateway(def: GatewayDefinition, options: GatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(GATEWAY);
  const setting = settingOf(GATEWAY, env, options.shared === true);
  const trustProxy = trustProxyOf(setting('TRUST_PROXY'));

  // Checks that can fail the start come first, before anything is opened.
  const guarded = def.routes.filter((r) => r.auth === 'jwt');
  const one = guarded.length === 1;
  const which = one ? `the route ${guarded[0].path}` : `the routes ${guarded.map((r) => r.path).join(', ')}`;
  if (guarded.length > 0 && def.jwt === undefined) throw new StartError(`gateway cannot start: ${which} ${one ? 'asks' : 'ask'} for auth: jwt, but gateway.auth.jwt is not configured`);
  const needs = `${which} ${one ? 'needs' : 'need'}`;
  let authenticate: Authenticator | undefined;
  try {
    authenticate = guarded.length > 0 && def.jwt ? authenticator(def.jwt, env, needs) : undefined;
  } catch (err) {
    throw err instanceof StartError ? new StartError(`gateway cannot start: ${err.message}`) : err;
  }

  const app: GatewayApp = Fastify({
    loggerInstance: logger,
    genReqId: (req) => requestIdOf(req.headers),
    trustProxy,
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, 400, error.message);
    },
  });
  // Bodies are streamed to the upstream untouched and unlimited: the upstream decides what it accepts.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => done(null, request.method === 'GET' || request.method === 'HEAD' ? undefined : payload));
  // Connecting gives up with the longest route timeout, at most undici's default of 10 s: a route's
  // own timeout answers the client first anyway.
  const connectTimeout = Math.min(10_000, Math.max(1_000, ...def.routes.map((r) => r.timeoutMs)));
  await app.register(fastifyReplyFrom, {
    // reply-from turns certificate checks off unless told otherwise.
    undici: { connections: 128, pipelining: 1, connect: { timeout: connectTimeout, rejectUnauthorized: true } },
    disableRequestLogging: true,
  });
  if (def.cors) {
    const anyOrigin = def.cors.origins.includes('*');
    await app.register(fastifyCors, { origin: anyOrigin ? '*' : [...def.cors.origins], methods: [...def.cors.methods], exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'] });
  }

  const resources: Resource[] = [];
  let store: Resource<Redis> | undefined;
  if (def.rateLimitStore === 'redis' && def.routes.some((r) => r.rateLimit)) {
    store = await openRedis(setting('REDIS_URL') ?? DEFAULT_REDIS_URL, logger);
  }
  const limiter = await rateLimiters(app, { ...(store ? { redis: store.client } : {}), prefix: `${def.system}:gateway:rate:`, logger });

  const upstreams = new Map<string, Upstream>();
  const upstreamOf = (route: GatewayRoute): Upstream => {
    const key = route.service ?? route.upstream;
    let upstream = upstreams.get(key);
    if (!upstream) {
      if (route.service !== undefined) {
        upstream = upstreamResource(route.service, serviceEndpoint(def.discovery, route.service, def.services[route.service], env, logger), '/health');
      } else {
        upstream = upstreamResource(route.upstream, fixedEndpoint(route.upstream), undefined);
      }
      upstreams.set(key, upstream);
    }
    return upstream;
  };
  const live: LiveRoute[] = def.routes.map((route) => ({
    route,
    path: route.path,
    ...(route.methods ? { methods: route.methods } : {}),
    upstream: upstreamOf(route),
    ...(route.auth === 'jwt' && authenticate ? { authenticate } : {}),
    ...(route.rateLimit ? { limit: limiter(`${route.methods?.length ? route.methods.join(',') : '*'} ${route.path}`, route.rateLimit) } : {}),
  }));
  resources.push(...upstreams.values(), ...(store ? [store] : []));
  const match = routeMatcher(live);
  const state = { draining: false };

  app.get('/health', { logLevel: 'warn' }, async (request, reply) => {
    const report = await healthReport(resources, request.log);
    // The gateway is up while it runs: an upstream that is down makes it degraded, not unready,
    // so that one broken service does not take every route out of a load balancer.
    const status = state.draining ? 'stopping' : report.status === 'ok' ? 'ok' : 'degraded';
    return reply
      .header(REQUEST_ID_HEADER, request.id)
      .code(state.draining ? 503 : 200)
      .send({ status, checks: report.checks });
  });

  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const fail = (status: number, message: string): FastifyReply => {
      sendError(reply, status, message);
      return reply;
    };
    const raw = request.url;
    const query = raw.indexOf('?');
    let path: string;
    try {
      path = normalizePath(query >= 0 ? raw.slice(0, query) : raw);
    } catch (err) {
      if (err instanceof BadPath) return fail(400, err.message);
      throw err;
    }
    const hit = match(request.method, path);
    if (!hit) return fail(404, `no route for ${request.method} ${path}`);
    const { route, upstream } = hit;

    let subject: string | undefined;
    if (hit.authenticate) {
      try {
        const claims = await hit.authenticate(request.headers.authorization);
        if (typeof claims.sub === 'string') subject = claims.sub;
      } catch (err) {
        if (!(err instanceof AuthFailure)) throw err;
        if (err.status === 503) request.log.warn('the JWKS cannot be fetched');
        const realm = `Bearer realm="${def.system}"`;
        reply.header('www-authenticate', err.challenge ? `${realm}, error="${err.challenge}"` : realm);
        return fail(err.status, err.message);
      }
    }

    if (hit.limit) {
      const verdict = await hit.limit(request, clientKey(request, subject));
      reply.headers(verdict.headers);
      if (!verdict.allowed) {
        reply.header('retry-after', verdict.retryAfter);
        return fail(429, `rate limit of ${route.path} reached; retry in ${verdict.retryAfter}s`);
      }
    }

    let base: string;
    try {
      base = await upstream.endpoint.url();
    } catch (err) {
      return fail(502, `${upstream.name} cannot be found: ${(err as Error).message}`);
    }
    const target = parseBase(base);
    const strippedPrefix = route.stripPath ? route.path.replace(/\/+$/, '') : undefined;
    reply.header(REQUEST_ID_HEADER, request.id);
    // The route's timeout runs from here to the upstream's first answer. undici's own timer is
    // coarse (about a second late); it stays as the backstop that frees the connection.
    const timer = setTimeout(() => {
      if (reply.sent) return;
      request.log.warn({ upstream: upstream.name, status: 504 }, `${upstream.name} did not answer within ${route.timeoutMs}ms`);
      sendError(reply, 504, `${upstream.name} did not answer within ${route.timeoutMs}ms`);
    }, route.timeoutMs);
    return reply.from(target.origin + upstreamPath(route, path, target.pathname), {
      timeout: route.timeoutMs,
      // Status codes pass through: a 503 of the upstream is the client's to see, not retried here.
      retryDelay: () => null,
      rewriteRequestHeaders: (req, headers) => upstreamHeaders(req, headers, { trustProxy, ...(strippedPrefix !== undefined ? { strippedPrefix } : {}) }),
      rewriteHeaders: (headers, req) => clientHeaders(headers, req ?? request),
      onResponse: (_req, answered, res) => {
        clearTimeout(timer);
        if (answered.sent) res.stream.destroy();
        else answered.send(res.stream);
      },
      onError: (failed, { error }) => {
        clearTimeout(timer);
        const failure = proxyFailure(error, upstream.name, route.timeoutMs);
        if (failure.unreachable) upstream.endpoint.failed?.(base);
        if (failed.sent) return;
        failed.request.log.warn({ upstream: upstream.name, status: failure.status }, failure.message);
        sendError(failed, failure.status, failure.message);
      },
    });
  };

  app.route({ method: def.cors ? METHODS.filter((m) => m !== 'OPTIONS') : [...METHODS], url: '/*', exposeHeadRoute: false, handler: forward });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, `no route for ${request.method} ${request.url.split('?')[0]}`));
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'the gateway failed');
    sendError(reply, status, status === 500 ? 'internal gateway error' : error.message);
  });

  const host = env.HOST ?? '127.0.0.1';
  const port = Number(setting('PORT') ?? def.port);
  let boundPort: number;
  try {
    boundPort = await listen(app, GATEWAY, host, port);
  } catch (err) {
    await app.close();
    await store?.close();
    throw err;
  }
  const drainMs = Number(setting('SHUTDOWN_DELAY_MS') ?? 0);
  let stopping: Promise<void> | undefined;
  return {
    name: GATEWAY,
    app,
    url: urlOf(host, boundPort),
    resources,
    stop: () =>
      (stopping ??= (async () => {
        state.draining = true;
        if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
        await closeServer(app);
        await store?.close();
      })()),
  };
}
