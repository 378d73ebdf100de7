/**
 * The Node gateway on real servers (127.0.0.1, ports the OS picks): routing to services and to
 * a legacy system, JWT checks, rate limits, CORS, headers both ways, streaming bodies, upstream
 * failures and `/health`. The gateway runs in this process; the upstreams are plain HTTP servers.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { defineGateway, type RunningGateway } from '../src/gateway/index.js';
import { defineService, defineSystem, reportSystem, StartError } from '../src/index.js';
import { captureLogger } from './helpers.js';
import { definition, echoUpstream, MB, route, type Echoed, type Upstream } from './gateway-helpers.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const ISSUER = 'tests';
const AUDIENCE = 'api';

async function token(claims: { sub?: string; iss?: string; aud?: string; exp?: number | null; nbf?: number }, secret = key): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(claims.iss ?? ISSUER).setAudience(claims.aud ?? AUDIENCE);
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(secret);
}

describe('the Node gateway', () => {
  let echo: Upstream;
  let legacy: Upstream;
  let gateway: RunningGateway;
  let url: string;
  const log = captureLogger('gateway');

  beforeAll(async () => {
    echo = await echoUpstream();
    legacy = await echoUpstream();
    const gonePort = await freePort();
    const module = defineGateway({
      system: 'tests',
      port: 0,
      discovery: 'dns',
      services: { echo: 1, gone: gonePort },
      jwt: { secretEnv: 'TEST_JWT_SECRET', issuer: ISSUER, audience: AUDIENCE },
      rateLimitStore: 'memory',
      cors: { origins: ['https://app.example.com'], methods: ['GET', 'POST'] },
      routes: [
        route({ path: '/api/echo', service: 'echo', auth: 'jwt' }),
        route({ path: '/open', service: 'echo' }),
        route({ path: '/open/get-only', service: 'echo', methods: ['GET'], upstreamPath: '/only' }),
        route({ path: '/keep', service: 'echo', stripPath: false, upstreamPath: '/v1' }),
        route({ path: '/limited', service: 'echo', rateLimit: { minute: 3 } }),
        route({ path: '/per-user', service: 'echo', auth: 'jwt', rateLimit: { minute: 2 } }),
        route({ path: '/two-windows', service: 'echo', rateLimit: { second: 50, minute: 2 } }),
        route({ path: '/slow', service: 'echo', timeoutMs: 300 }),
        route({ path: '/gone', service: 'gone', timeoutMs: 1_000 }),
        route({ path: '/legacy', upstream: `${legacy.url}/base`, upstreamPath: '/v2' }),
      ],
    });
    gateway = await module.run({ env: { ECHO_SERVICE_URL: echo.url, TEST_JWT_SECRET: SECRET, HOST: '127.0.0.1' }, logger: log.logger });
    url = gateway.url;
  });

  afterAll(async () => {
    await gateway?.stop();
    await echo?.close();
    await legacy?.close();
  });

  const last = (u: Upstream): Echoed => u.seen[u.seen.length - 1];

  describe('routing', () => {
    it('strips the prefix, keeps the query and reaches the service', async () => {
      const res = await fetch(`${url}/open/items/7?q=a%20b&x=1`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Echoed).url).toBe('/items/7?q=a%20b&x=1');
    });

    it('puts upstreamPath in front of an unstripped path', async () => {
      await fetch(`${url}/keep/a`);
      expect(last(echo).url).toBe('/v1/keep/a');
    });

    it('sends a legacy route to the URL, its path first', async () => {
      const res = await fetch(`${url}/legacy/cart/3?x=1`, { method: 'POST', body: 'hello' });
      expect(res.status).toBe(200);
      expect(last(legacy)).toMatchObject({ method: 'POST', url: '/base/v2/cart/3?x=1', size: 5 });
    });

    it('honours methods, and answers 404 in the Error shape when no route matches', async () => {
      await fetch(`${url}/open/get-only/x`);
      expect(last(echo).url).toBe('/only/x');
      // POST is not allowed on /open/get-only: the shorter route /open takes it.
      await fetch(`${url}/open/get-only/x`, { method: 'POST' });
      expect(last(echo).url).toBe('/get-only/x');
      const res = await fetch(`${url}/nowhere`, { headers: { 'x-request-id': 'r-404' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('r-404');
      expect(await res.json()).toEqual({ error: 'not_found', message: 'no route for GET /nowhere' });
      expect((await fetch(`${url}/openx`)).status).toBe(404);
    });

    it('matches percent-encoded and doubled-slash spellings of a path like the path itself', async () => {
      // /api/echo needs a token; a spelling of it must not reach the echo through /open… or anything else.
      expect((await fetch(`${url}/api/%65cho/x`)).status).toBe(401);
      expect((await fetch(`${url}//api//echo/x`)).status).toBe(401);
    });

    it('refuses dot segments and malformed escapes with 400', async () => {
      for (const path of ['/open/a/%2e%2e/b', '/open/../api/echo', '/open/%zz']) {
        const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          // The path as written: fetch and new URL() would resolve the dot segments first.
          const { hostname, port } = new URL(url);
          httpRequest({ hostname, port, path }, (r) => {
            let body = '';
            r.on('data', (d: Buffer) => (body += d.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          })
            .on('error', reject)
            .end();
        });
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ error: 'bad_request' });
      }
    });
  });

  describe('headers', () => {
    it('propagates the request id, sets X-Forwarded-* and drops hop-by-hop headers both ways', async () => {
      const res = await new Promise<{ headers: Record<string, unknown>; body: Echoed }>((resolve, reject) => {
        const req = httpRequest(`${url}/open/h`, {
          headers: {
            'x-request-id': 'trace-1',
            connection: 'keep-alive, x-client-hop',
            'x-client-hop': 'private',
            'keep-alive': 'timeout=5',
            'proxy-authorization': 'Basic eDp5',
            te: 'trailers',
            'x-forwarded-for': '6.6.6.6',
            'x-custom': 'kept',
          },
        });
        req.on('response', (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => resolve({ headers: r.headers, body: JSON.parse(body) as Echoed }));
        });
        req.on('error', reject);
        req.end();
      });
      const sent = res.body.headers;
      expect(sent['x-request-id']).toBe('trace-1');
      expect(sent['x-custom']).toBe('kept');
      for (const hop of ['x-client-hop', 'keep-alive', 'proxy-authorization', 'te']) expect(sent[hop]).toBeUndefined();
      // Not behind a trusted proxy: a client's X-Forwarded-For is replaced by its address.
      expect(sent['x-forwarded-for']).toBe('127.0.0.1');
      expect(sent['x-forwarded-proto']).toBe('http');
      expect(sent['x-forwarded-host']).toBe(new URL(url).host);
      expect(sent['x-forwarded-prefix']).toBe('/open');
      expect(sent.host).toBe(new URL(echo.url).host);
      expect(res.headers['x-request-id']).toBe('trace-1');
      expect(res.headers['x-upstream-private']).toBeUndefined();
    });

    it('makes a request id when none comes and sends the same one upstream', async () => {
      const res = await fetch(`${url}/open/id`);
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      expect(last(echo).headers['x-request-id']).toBe(id);
    });

    it('passes status codes and headers through, and does not retry a 503', async () => {
      const before = echo.seen.length;
      const res = await fetch(`${url}/open/status/503`);
      expect(res.status).toBe(503);
      expect(res.headers.get('x-upstream')).toBe('yes');
      expect(await res.json()).toEqual({ status: 503 });
      expect(echo.seen.length).toBe(before + 1);
      expect((await fetch(`${url}/open/status/418`)).status).toBe(418);
    });

    it('forwards a request sent with Expect: 100-continue', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${url}/open/continue`, { method: 'POST', headers: { expect: '100-continue', 'content-length': 3 } });
        req.on('continue', () => req.end('abc'));
        req.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0)));
        req.on('error', reject);
      });
      expect(status).toBe(200);
      expect(last(echo)).toMatchObject({ url: '/continue', size: 3 });
    });
  });

  describe('JWT', () => {
    const call = (authorization?: string) => fetch(`${url}/api/echo/me`, { headers: authorization ? { authorization } : {} });
    const refused = async (authorization: string | undefined, message: RegExp) => {
      const res = await call(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="tests"/);
      const body = (await res.json()) as { error: string; message: string };
      expect(Object.keys(body).sort()).toEqual(['error', 'message']);
      expect(body.error).toBe('unauthorized');
      expect(body.message).toMatch(message);
    };

    it('lets a valid token through, with its Authorization header', async () => {
      const t = await token({ sub: 'alice' });
      const res = await call(`Bearer ${t}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Echoed).headers.authorization).toBe(`Bearer ${t}`);
    });

    it('refuses a request without a token (no error code in the challenge, RFC 6750)', async () => {
      const res = await call();
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tests"');
      await refused(undefined, /needs a bearer token/);
      await refused('Basic YTpi', /not "Bearer <JWT>"/);
    });

    it.each([
      ['a forged signature', async () => token({ sub: 'x' }, new TextEncoder().encode('another-secret-that-is-long-enough-too')), /signature does not verify/],
      ['an expired token', async () => token({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
      ['a token without exp', async () => token({ sub: 'x', exp: null }), /no "exp" claim/],
      ['a token not valid yet', async () => token({ sub: 'x', nbf: Math.floor(Date.now() / 1000) + 600 }), /not valid yet/],
      ['the wrong issuer', async () => token({ sub: 'x', iss: 'someone-else' }), /issued by someone/],
      ['the wrong audience', async () => token({ sub: 'x', aud: 'other' }), /another audience/],
      ['alg: none', async () => new UnsecuredJWT({ sub: 'x', iss: ISSUER, aud: AUDIENCE }).setExpirationTime('10m').encode(), /not a valid JWT|algorithm/],
      ['garbage', async () => 'not.a.jwt', /not a valid JWT/],
    ])('refuses %s with 401 and invalid_token', async (_what, make, message) => {
      const t = await make();
      const res = await call(`Bearer ${t}`);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tests", error="invalid_token"');
      await refused(`Bearer ${t}`, message);
    });

    it('remembers a verified token only until it expires', async () => {
      const t = await token({ sub: 'brief', exp: Math.floor(Date.now() / 1000) + 2 });
      expect((await call(`Bearer ${t}`)).status).toBe(200);
      expect((await call(`Bearer ${t}`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100 - (Date.now() % 1000)));
      await refused(`Bearer ${t}`, /expired/);
    });

    it('refuses an HS512 token signed with the right secret (the algorithm is pinned)', async () => {
      const t = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS512' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('10m').sign(new TextEncoder().encode(SECRET.repeat(2)));
      await refused(`Bearer ${t}`, /algorithm is not accepted/);
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After and the Error shape once a route’s limit is used up', async () => {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${url}/limited/x`);
        statuses.push(res.status);
        if (res.status === 429) limited = res;
        else expect(res.headers.get('x-ratelimit-remaining-minute')).toBe(String(2 - i));
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const retryAfter = Number(limited!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited!.json()).toEqual({ error: 'too_many_requests', message: `rate limit of /limited reached; retry in ${retryAfter}s` });
      // Another route counts on its own.
      expect((await fetch(`${url}/open/x`)).status).toBe(200);
    });

    it('counts by token subject after auth', async () => {
      const alice = `Bearer ${await token({ sub: 'alice' })}`;
      const bob = `Bearer ${await token({ sub: 'bob' })}`;
      const statusOf = async (authorization: string) => (await fetch(`${url}/per-user/x`, { headers: { authorization } })).status;
      expect([await statusOf(alice), await statusOf(alice), await statusOf(alice)]).toEqual([200, 200, 429]);
      expect(await statusOf(bob)).toBe(200);
      // A refused token is not counted: 401 comes first.
      expect((await fetch(`${url}/per-user/x`)).status).toBe(401);
    });

    it('checks every window a route names', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/two-windows/x`)).status);
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe('upstream failures', () => {
    it('answers 504 in the Error shape when the upstream is slower than the route’s timeout', async () => {
      const started = performance.now();
      const res = await fetch(`${url}/slow/slow/3000`);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(504);
      expect(await res.json()).toEqual({ error: 'gateway_timeout', message: 'echo did not answer within 300ms' });
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1_500);
    });

    it('answers 502 in the Error shape when nothing listens there', async () => {
      const started = performance.now();
      const res = await fetch(`${url}/gone/x`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ error: 'bad_gateway', message: 'gone is not reachable (ECONNREFUSED)' });
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  });

  describe('bodies', () => {
    it('streams a request body: the upstream has its first chunk before the client sent the rest', async () => {
      const first = echo.firstChunk();
      const hash = createHash('sha256');
      const chunk = Buffer.alloc(MB, 1);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 1) {
            // Would never resolve if the gateway waited for the whole body before forwarding it.
            await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error('the upstream saw nothing yet')), 5_000))]);
          }
          if (sent === 10) return controller.close();
          hash.update(chunk);
          controller.enqueue(new Uint8Array(chunk));
          sent++;
        },
      });
      const res = await fetch(`${url}/open/upload`, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } } as RequestInit);
      expect(res.status).toBe(200);
      const echoed = (await res.json()) as Echoed;
      expect(echoed.size).toBe(10 * MB);
      expect(echoed.sha256).toBe(hash.digest('hex'));
    });

    it('takes a 10 MB JSON body with a content-length (no body limit at the gateway)', async () => {
      const payload = JSON.stringify({ blob: 'x'.repeat(10 * MB) });
      const res = await fetch(`${url}/open/json`, { method: 'PUT', body: payload, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Echoed).size).toBe(Buffer.byteLength(payload));
    });

    it('streams a response: the client reads the first half before the upstream wrote the second', async () => {
      const res = await fetch(`${url}/open/stream-down`);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      expect(text).toBe('first half;');
      echo.release();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      expect(text).toBe('first half;second half');
    });

    it('passes a 10 MB download through', async () => {
      const res = await fetch(`${url}/open/download/${10 * MB}`);
      expect(res.headers.get('content-length')).toBe(String(10 * MB));
      expect((await res.arrayBuffer()).byteLength).toBe(10 * MB);
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin itself', async () => {
      const before = echo.seen.length;
      const res = await fetch(`${url}/open/x`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(echo.seen.length).toBe(before);
    });

    it('does not allow another origin', async () => {
      const res = await fetch(`${url}/open/x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('marks simple responses, errors included, for an allowed origin', async () => {
      const ok = await fetch(`${url}/open/x`, { headers: { origin: 'https://app.example.com' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(ok.headers.get('access-control-expose-headers')).toContain('x-request-id');
      const denied = await fetch(`${url}/api/echo/x`, { headers: { origin: 'https://app.example.com' } });
      expect(denied.status).toBe(401);
      expect(denied.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    });
  });

  it('reports each upstream on /health, and stays up when one is down', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'degraded', checks: { echo: 'up', gone: 'down', [`${legacy.url}/base`]: 'up' } });
  });

  it('lists its upstreams for a start-up summary', () => {
    expect(gateway.resources.map((r) => [r.name, r.describe?.()])).toEqual([
      ['echo', echo.url],
      ['gone', expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)],
      [`${legacy.url}/base`, `${legacy.url}/base`],
    ]);
  });
});

describe('starting the gateway', () => {
  const base = definition({});
  const guarded = [route({ path: '/a', service: 'echo', auth: 'jwt' }), route({ path: '/b', service: 'echo', auth: 'jwt' })];
  const silent = captureLogger().logger;

  it('refuses to start, in one line, when the JWT secret is missing or too short', async () => {
    const module = defineGateway({ ...base, jwt: { secretEnv: 'MISSING_SECRET' }, routes: guarded });
    await expect(module.run({ env: {}, logger: silent })).rejects.toThrow(new StartError('gateway cannot start: MISSING_SECRET is not set, and the routes /a, /b need a JWT secret (gateway.auth.jwt.secretEnv)'));
    await expect(module.run({ env: { MISSING_SECRET: 'short' }, logger: silent })).rejects.toThrow('MISSING_SECRET is 5 bytes long; HS256 needs at least 32');
  });

  it('starts without the secret when no route asks for a token', async () => {
    const running = await defineGateway({ ...base, jwt: { secretEnv: 'MISSING_SECRET' }, routes: [route({ path: '/a', service: 'echo' })] }).run({ env: {}, logger: silent });
    await running.stop();
  });

  it('says in one line that its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const module = defineGateway({ ...base, routes: [] });
      const err = await module.run({ env: { PORT: String(port) }, logger: silent }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StartError);
      expect((err as Error).message).toBe(`gateway cannot listen on 127.0.0.1:${port}: the port is already in use`);
    } finally {
      taken.close();
    }
  });

  it('reads GATEWAY_PORT only when it shares a process with the services', async () => {
    const port = await freePort();
    const running = await defineGateway({ ...base, routes: [] }).run({ env: { PORT: '1', GATEWAY_PORT: String(port) }, logger: silent, shared: true });
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
    await running.stop();
  });

  it('signs a token it accepts for local tries', async () => {
    const echo = await echoUpstream();
    const module = defineGateway({ ...base, jwt: { secretEnv: 'S', issuer: 'me', audience: 'you' }, routes: guarded });
    const env = { S: SECRET, ECHO_SERVICE_URL: echo.url };
    const running = await module.run({ env, logger: silent });
    try {
      const t = await module.token('dev', env);
      const res = await fetch(`${running.url}/a/x`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
    } finally {
      await running.stop();
      await echo.close();
    }
  });
});

describe('the gateway in a system', () => {
  it('runs in one process beside the services, finding each at the port it was given (<SERVICE>_PORT)', async () => {
    class Hello {
      async hello(): Promise<{ status: 200; body: { text: string } }> {
        return { status: 200, body: { text: 'hello' } };
      }
    }
    const hello = defineService({
      name: 'hello',
      port: 1,
      discovery: 'dns',
      components: [],
      routes: [{ operation: 'hello', method: 'GET', url: '/hello', schema: {} }],
      resources: {},
      clients: () => ({}),
      handlers: { operations: () => new Hello() },
    });
    const gateway = defineGateway(definition({ system: 'one', port: 1, services: { hello: 1 }, routes: [route({ path: '/api', service: 'hello' })] }));
    const [helloPort, gatewayPort] = [await freePort(), await freePort()];
    const running = await defineSystem({ name: 'one', services: [hello], gateway }).run({
      env: { HELLO_PORT: String(helloPort), GATEWAY_PORT: String(gatewayPort) },
      logger: () => captureLogger().logger,
    });
    try {
      expect(running.gateway?.url).toBe(`http://127.0.0.1:${gatewayPort}`);
      expect(await (await fetch(`${running.gateway!.url}/api/hello`)).json()).toEqual({ text: 'hello' });
      const [report] = await reportSystem(running, captureLogger().logger);
      expect(report).toEqual({ name: 'gateway', url: `http://127.0.0.1:${gatewayPort}`, resources: [{ name: 'hello', what: `http://127.0.0.1:${helloPort}`, up: true }] });
    } finally {
      await running.stop();
    }
  });
});
