/**
 * The gateway with keys published at a JWKS URL, with services found in Consul, and in front
 * of an https legacy system whose certificate it cannot verify. The identity provider, the
 * Consul agent and the legacy system are small local servers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, json, recordingServer, type TestServer } from '../../tests/helpers/service-process.js';
import { defineGateway, type RunningGateway } from '../src/gateway/index.js';
import { captureLogger } from './helpers.js';
import { definition, echoUpstream, route, type Echoed, type Upstream } from './gateway-helpers.js';

describe('tokens signed with keys from a JWKS URL', () => {
  let echo: Upstream;
  let idp: TestServer;
  let gateway: RunningGateway;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    echo = await echoUpstream();
    rsa = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    idp = await recordingServer((req, res) => (req.url === '/.well-known/jwks.json' ? json(res, 200, { keys: [jwk] }) : json(res, 404)));
    gateway = await defineGateway(
      definition({ jwt: { jwksUrl: `${idp.url}/.well-known/jwks.json`, issuer: 'https://idp.example.com' }, routes: [route({ path: '/api', service: 'echo', auth: 'jwt' })] }),
    ).run({ env: { ECHO_SERVICE_URL: echo.url }, logger: captureLogger().logger });
  });

  afterAll(async () => {
    await gateway?.stop();
    await echo?.close();
    await idp?.close();
  });

  const signed = (alg: string, kid: string, key: Parameters<SignJWT['sign']>[0]) =>
    new SignJWT({}).setProtectedHeader({ alg, kid }).setSubject('carol').setIssuer('https://idp.example.com').setExpirationTime('5m').sign(key);
  const statusWith = async (token: string) => (await fetch(`${gateway.url}/api/x`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('accepts an RS256 token signed with a published key, fetching the keys once', async () => {
    expect(await statusWith(await signed('RS256', 'key-1', rsa.privateKey))).toBe(200);
    expect(await statusWith(await signed('RS256', 'key-1', rsa.privateKey))).toBe(200);
    expect(idp.requests.filter((r) => r.url === '/.well-known/jwks.json')).toHaveLength(1);
  });

  it('refuses an HS256 token whose "secret" is the public key (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    expect(await statusWith(await signed('HS256', 'key-1', pem))).toBe(401);
  });

  it('refuses a token signed with a key that is not published', async () => {
    const other = await generateKeyPair('RS256');
    expect(await statusWith(await signed('RS256', 'key-2', other.privateKey))).toBe(401);
    expect(await statusWith(await signed('RS256', 'key-1', other.privateKey))).toBe(401);
  });

  it('answers 503, not 401, when the keys cannot be fetched', async () => {
    const down = await freePort();
    const running = await defineGateway(
      definition({ jwt: { jwksUrl: `http://127.0.0.1:${down}/jwks.json` }, routes: [route({ path: '/api', service: 'echo', auth: 'jwt' })] }),
    ).run({ env: { ECHO_SERVICE_URL: echo.url }, logger: captureLogger().logger });
    try {
      const res = await fetch(`${running.url}/api/x`, { headers: { authorization: `Bearer ${await signed('RS256', 'key-1', rsa.privateKey)}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'unavailable', message: 'the signing keys cannot be fetched right now' });
    } finally {
      await running.stop();
    }
  });
});

describe('services found in Consul', () => {
  it('forwards to the healthy instance Consul names, and reports it on /health', async () => {
    const echo = await echoUpstream();
    const consul = await recordingServer((req, res) =>
      req.url.startsWith('/v1/health/service/echo') ? json(res, 200, [{ Service: { Address: '127.0.0.1', Port: echo.port } }]) : json(res, 404),
    );
    const gateway = await defineGateway(definition({ discovery: 'consul', routes: [route({ path: '/e', service: 'echo' })] })).run({ env: { CONSUL_URL: consul.url }, logger: captureLogger().logger });
    try {
      const res = await fetch(`${gateway.url}/e/x`);
      expect(((await res.json()) as Echoed).url).toBe('/x');
      expect(await (await fetch(`${gateway.url}/health`)).json()).toEqual({ status: 'ok', checks: { echo: 'up' } });
      expect(gateway.resources[0].describe?.()).toBe(`Consul at ${consul.url}`);
    } finally {
      await gateway.stop();
      await echo.close();
      await consul.close();
    }
  });
});

describe('an https legacy system', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused when its certificate does not verify (502), not forwarded to blindly', async () => {
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('secret'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const legacy = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gateway = await defineGateway(definition({ services: {}, routes: [route({ path: '/old', upstream: legacy })] })).run({ env: {}, logger: captureLogger().logger });
    try {
      const res = await fetch(`${gateway.url}/old/x`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { message: string }).message).toMatch(new RegExp(`^${legacy.replace(/[.]/g, '\\.')} failed to answer \\(.*(CERT|SIGNED).*\\)$`));
    } finally {
      await gateway.stop();
      server.closeAllConnections();
      server.close();
    }
  });
});
