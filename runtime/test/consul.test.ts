/**
 * Consul through its HTTP API. Consul itself is not packaged for this machine, so a recording
 * stand-in answers the three agent endpoints the runtime uses; what is checked is what the
 * runtime sends and how it behaves when the agent is away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { freePort, json, recordingServer, waitFor, type TestServer } from '../../tests/helpers/service-process.js';
import { consulEndpoint, registerWithConsul } from '../src/index.js';
import { captureLogger } from './helpers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('registration with Consul', () => {
  it('registers with an HTTP check on /health and deregisters on stop', async () => {
    const consul = await recordingServer((_req, res) => json(res, 200));
    servers.push(consul);
    const { logger } = captureLogger();
    const registration = await registerWithConsul({ consulUrl: `${consul.url}/`, service: 'user', host: '127.0.0.1', port: 8001, logger, env: {} });
    expect(registration.id).toBe('user-127.0.0.1-8001');
    const [register] = consul.requests;
    expect([register.method, register.url]).toEqual(['PUT', '/v1/agent/service/register']);
    expect(JSON.parse(register.body)).toMatchObject({ ID: 'user-127.0.0.1-8001', Name: 'user', Port: 8001, Check: { HTTP: 'http://127.0.0.1:8001/health' } });
    await registration.deregister();
    expect(consul.requests[1].url).toBe('/v1/agent/service/deregister/user-127.0.0.1-8001');
  });

  it('says once, in one line, that Consul is away, keeps trying with a growing delay, and says when it got through', async () => {
    const port = await freePort();
    const log = captureLogger();
    const registration = await registerWithConsul({ consulUrl: `http://127.0.0.1:${port}`, service: 'user', host: '127.0.0.1', port: 8001, logger: log.logger, env: {} });
    // First retry after 1 s, the next after 2 s: bring the agent up in between.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const warnings = log.lines().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toBe(`Consul at http://127.0.0.1:${port} is not reachable (ECONNREFUSED); the service runs without registration and keeps trying`);
    expect(log.text()).not.toContain('stack');
    const agent = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => agent.listen(port, '127.0.0.1', resolve));
    try {
      await waitFor(() => log.lines().find((l) => l.level === 30), 5_000, 'the registration to get through');
      expect(log.lines().filter((l) => l.level === 30).map((l) => l.msg)).toEqual(['registered with Consul after 2 failed attempt(s)']);
      await registration.deregister();
    } finally {
      agent.closeAllConnections();
      agent.close();
    }
  }, 10_000);
});

describe('finding callees in Consul', () => {
  it('round-robins over the healthy instances and drops one that failed', async () => {
    const consul = await recordingServer((_req, res) =>
      json(res, 200, [
        { Node: { Address: '10.0.0.1' }, Service: { Address: '', Port: 8001 } },
        { Service: { Address: '10.0.0.2', Port: 8001 } },
      ]),
    );
    servers.push(consul);
    const endpoint = consulEndpoint(consul.url, 'user');
    expect([await endpoint.url(), await endpoint.url(), await endpoint.url()]).toEqual(['http://10.0.0.1:8001', 'http://10.0.0.2:8001', 'http://10.0.0.1:8001']);
    expect(consul.requests[0].url).toBe('/v1/health/service/user?passing=true');
    endpoint.failed?.('http://10.0.0.1:8001');
    expect(await endpoint.url()).toBe('http://10.0.0.2:8001');
  });

  it('fails with a discovery error when no instance is healthy', async () => {
    const consul = await recordingServer((_req, res) => json(res, 200, []));
    servers.push(consul);
    await expect(consulEndpoint(consul.url, 'user').url()).rejects.toMatchObject({ code: 'EDISCOVERY', message: 'no healthy instance of user in Consul' });
  });
});
