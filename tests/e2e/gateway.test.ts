/**
 * Issue 13's "must hold" list through the Node gateway as a real process: a generated system
 * (fixtures/gateway.yaml) built with tsc, its catalog service and its gateway started as
 * `node dist/main.js`, a stand-in legacy system on 127.0.0.1. Tokens: none, forged, expired,
 * `alg: none` and a wrong issuer are 401; a valid one (also one from `npm run token`) reaches
 * the service; a malformed path parameter is the service's 400; the per-route limit is a 429
 * with Retry-After; the stripPath/upstreamPath table maps as SPEC §2 says; the strangler route
 * reaches the legacy system; CORS preflight; 10 MB both ways; a stopped upstream is a 502
 * within its timeout.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoUpstream, MB, type Echoed, type Upstream } from '../../runtime/test/gateway-helpers.js';
import { startPackageProcess, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { buildSystem, generateSystem, ROOT, workDir } from '../helpers/system.js';

const SECRET = 'end-to-end-secret-long-enough-for-hs256-0123';
const ISSUER = 'gw-tests';

const CATALOG = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async getItem(request: Op.GetItemRequest): Promise<Op.GetItemReply> {
    return { status: 200, body: { id: request.params.id, name: \`item \${request.params.id}\` } };
  }

  override async createItem(request: Op.CreateItemRequest): Promise<Op.CreateItemReply> {
    return { status: 201, body: { id: 1, name: request.body.name } };
  }

  override async wait(request: Op.WaitRequest): Promise<Op.WaitReply> {
    await new Promise((resolve) => setTimeout(resolve, request.params.ms));
    return { status: 200, body: { waited: request.params.ms } };
  }
}
`;

function sign(claims: { iss?: string; exp?: number }, secret = SECRET): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('e2e')
    .setIssuer(claims.iss ?? ISSUER)
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(new TextEncoder().encode(secret));
}

describe('the generated Node gateway as a process', () => {
  let dir: string;
  let legacy: Upstream;
  let catalog: ServiceProcess;
  let gateway: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    legacy = await echoUpstream();
    const spec = join(workDir('gateway-spec'), 'microgen.yaml');
    writeFileSync(spec, readFileSync(join(ROOT, 'tests/e2e/fixtures/gateway.yaml'), 'utf8').replaceAll('LEGACY_URL', legacy.url));
    dir = await generateSystem(spec, 'gateway');
    writeFileSync(join(dir, 'services/catalog/src/handlers/operations.ts'), CATALOG);
    const build = buildSystem(dir);
    if (build.code !== 0) throw new Error(`the gateway system does not build:\n${build.output}`);
    catalog = await startServiceProcess(dir, 'catalog');
    gateway = await startPackageProcess(join(dir, 'gateway'), 'gateway', { CATALOG_SERVICE_URL: catalog.url, GW_JWT_SECRET: SECRET });
    url = gateway.url;
  }, 600_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await catalog?.stop('SIGKILL');
    await legacy?.close();
  });

  describe('JWT', () => {
    const withToken = (token?: string) => fetch(`${url}/api/items/7`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('lets a valid token reach the service (GET /api/items/7 → GET /items/7)', async () => {
      const res = await withToken(await sign({}));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: 7, name: 'item 7' });
    });

    it('accepts the token `npm run token` prints', async () => {
      const token = execFileSync('npm', ['run', '--silent', 'token', '--', 'someone'], { cwd: join(dir, 'gateway'), env: { ...process.env, GW_JWT_SECRET: SECRET }, encoding: 'utf8' }).trim();
      expect((await withToken(token)).status).toBe(200);
    });

    it.each([
      ['no token', async () => undefined],
      ['a forged signature', async () => sign({}, 'someone-elses-secret-long-enough-for-hs256')],
      ['an expired token', async () => sign({ exp: Math.floor(Date.now() / 1000) - 10 })],
      ['alg: none', async () => new UnsecuredJWT({ sub: 'e2e', iss: ISSUER }).setExpirationTime('5m').encode()],
      ['a wrong issuer', async () => sign({ iss: 'someone-else' })],
    ])('refuses %s with 401, WWW-Authenticate and the Error shape', async (_what, make) => {
      const res = await withToken(await make());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gw"/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['error', 'message']);
      expect(body.error).toBe('unauthorized');
    });
  });

  it('passes on the service’s 400 for a malformed path parameter, in the Error shape', async () => {
    const res = await fetch(`${url}/public/items/not-a-number`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_request', message: 'params/id must be integer' });
  });

  it('answers the per-route limit with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${url}/limited/1`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: 'too_many_requests' });
  });

  it.each([
    ['/t/strip/a/b?x=1&y=%20', '/a/b?x=1&y=%20'],
    ['/t/strip', '/'],
    ['/t/strip/', '/'],
    ['/t/strip/deeper/x', '/deep/x'],
    ['/t/strip-v1/a', '/v1/a'],
    ['/t/strip-v1', '/v1'],
    ['/t/keep/a', '/t/keep/a'],
    ['/t/keep-v1/a', '/v1/t/keep-v1/a'],
    ['/t/base/a', '/base/v2/a'],
  ])('maps %s to %s upstream (SPEC §2)', async (path, forwarded) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echoed).url).toBe(forwarded);
  });

  it('matches on segment boundaries only', async () => {
    const res = await fetch(`${url}/t/stripx`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route for GET /t/stripx' });
  });

  it('sends a strangler route to the legacy system, with the request id and X-Forwarded-*', async () => {
    const res = await fetch(`${url}/legacy/orders/12?page=2`, { method: 'POST', headers: { 'x-request-id': 'carve-1', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('carve-1');
    const seen = (await res.json()) as Echoed;
    expect(seen).toMatchObject({ method: 'POST', url: '/orders/12?page=2', size: 7 });
    expect(seen.headers).toMatchObject({ 'x-request-id': 'carve-1', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-prefix': '/legacy' });
  });

  it('answers a CORS preflight itself', async () => {
    const res = await fetch(`${url}/api/items/7`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization');
  });

  it('streams a 10 MB body through to the legacy system and 10 MB back', async () => {
    const body = Buffer.alloc(10 * MB);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    const up = await fetch(`${url}/legacy/upload`, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ size: 10 * MB, sha256: createHash('sha256').update(body).digest('hex') });
    const down = await fetch(`${url}/legacy/download/${10 * MB}`);
    expect((await down.arrayBuffer()).byteLength).toBe(10 * MB);
  });

  it('answers 504 when the service is slower than the route’s timeout', async () => {
    const started = performance.now();
    const res = await fetch(`${url}/slow/1500`);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: 'gateway_timeout', message: 'catalog did not answer within 300ms' });
    expect(performance.now() - started).toBeLessThan(1_200);
  });

  it('reports the upstreams on /health', async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', checks: { catalog: 'up', [legacy.url]: 'up', [`${legacy.url}/base`]: 'up' } });
  });

  // Last: stops the catalog.
  it('answers 502 within the route’s timeout once the service is stopped, and /health says so', async () => {
    expect(await catalog.stop('SIGTERM')).toBe(0);
    const started = performance.now();
    const res = await fetch(`${url}/public/items/1`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: 'bad_gateway', message: 'catalog is not reachable (ECONNREFUSED)' });
    expect(performance.now() - started).toBeLessThan(2_000);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string; checks: Record<string, string> }).checks.catalog).toBe('down');
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});
