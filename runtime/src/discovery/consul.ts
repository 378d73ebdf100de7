/**
 * Service discovery through the Consul agent's HTTP API (`CONSUL_URL`): register at start with
 * an HTTP check on `/health`, deregister on shutdown, and find healthy instances of callees.
 * No Consul library: three HTTP calls are all a service needs.
 *
 * Consul being away is normal on a laptop: the service keeps running, says so in one line, and
 * tries again with a growing delay; it says one more line when registration finally succeeds.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Endpoint } from '../http/endpoint.js';

/** How often Consul checks /health, and how long it waits for an answer. */
const CHECK_INTERVAL = '10s';
const CHECK_TIMEOUT = '2s';
const API_TIMEOUT_MS = 3_000;
/** Registration retries: from 1 s, doubling, at most every 5 minutes. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;
/** How long a lookup's answer is reused before asking Consul again. */
const LOOKUP_TTL_MS = 5_000;

const urlHost = (address: string): string => (address.includes(':') && !address.startsWith('[') ? `[${address}]` : address);
const trimSlash = (url: string): string => url.replace(/\/+$/, '');

async function agentPut(consul: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${consul}${path}`, {
    method: 'PUT',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`Consul answered ${res.status} to PUT ${path}: ${(await res.text()).slice(0, 200)}`);
}

/** Why a request failed, in a few words (`ECONNREFUSED`), for a one-line log. */
function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as Error).message;
}

export interface Registration {
  readonly id: string;
  /** Stops retrying and removes the instance from Consul (if it was registered). */
  deregister(): Promise<void>;
}

export interface RegisterOptions {
  readonly consulUrl: string;
  readonly service: string;
  /** The host the service listens on; a wildcard means "this machine's host name". */
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Registers this instance. The address others reach it at is `SERVICE_ADDRESS`, else the host
 * it listens on (the machine's host name when that is a wildcard); the id is `SERVICE_ID`, else
 * `<service>-<address>-<port>`.
 */
export async function registerWithConsul(options: RegisterOptions): Promise<Registration> {
  const { service, port, logger } = options;
  const env = options.env ?? process.env;
  const consul = trimSlash(options.consulUrl);
  const wildcard = options.host === '0.0.0.0' || options.host === '::' || options.host === '';
  const address = env.SERVICE_ADDRESS ?? (wildcard ? hostname() : options.host);
  const id = env.SERVICE_ID ?? `${service}-${address}-${port}`;
  const definition = {
    ID: id,
    Name: service,
    Address: address,
    Port: port,
    Tags: ['microgen'],
    Check: { HTTP: `http://${urlHost(address)}:${port}/health`, Interval: CHECK_INTERVAL, Timeout: CHECK_TIMEOUT, DeregisterCriticalServiceAfter: '1m' },
  };
  let registered = false;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    try {
      await agentPut(consul, '/v1/agent/service/register', definition);
      registered = true;
      logger.info({ consul, id }, failures > 0 ? `registered with Consul after ${failures} failed attempt(s)` : 'registered with Consul');
    } catch (err) {
      if (failures === 0) logger.warn({ consul }, `Consul at ${consul} is not reachable (${reasonOf(err)}); the service runs without registration and keeps trying`);
      failures++;
      if (stopped) return;
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 20));
      timer = setTimeout(() => void attempt(), delay);
      timer.unref();
    }
  };
  await attempt();
  return {
    id,
    async deregister() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (!registered) return;
      try {
        await agentPut(consul, `/v1/agent/service/deregister/${encodeURIComponent(id)}`);
        logger.info({ id }, 'deregistered from Consul');
      } catch (err) {
        logger.warn({ id }, `Consul deregistration failed (${reasonOf(err)}); its failing health check will remove the instance`);
      }
    },
  };
}

interface HealthEntry {
  Node?: { Address?: string };
  Service?: { Address?: string; Port?: number };
}

/**
 * Healthy instances of `service` from `/v1/health/service/<name>?passing=true`, in turn (round
 * robin). An instance that fails a call is dropped until the next lookup.
 */
export function consulEndpoint(consulUrl: string, service: string): Endpoint {
  const consul = trimSlash(consulUrl);
  let urls: string[] = [];
  let fetchedAt = 0;
  let next = 0;
  const unavailable = (message: string, cause?: unknown): Error => Object.assign(new Error(message, { cause }), { code: 'EDISCOVERY' });
  const lookup = async (): Promise<string[]> => {
    const res = await fetch(`${consul}/v1/health/service/${encodeURIComponent(service)}?passing=true`, { signal: AbortSignal.timeout(API_TIMEOUT_MS) });
    if (!res.ok) throw unavailable(`Consul answered ${res.status}`);
    const entries = (await res.json()) as HealthEntry[];
    return entries.flatMap((e) => {
      const address = e.Service?.Address || e.Node?.Address;
      const port = e.Service?.Port;
      return address && port ? [`http://${urlHost(address)}:${port}`] : [];
    });
  };
  return {
    where: `Consul at ${consul}`,
    async url() {
      if (urls.length === 0 || Date.now() - fetchedAt > LOOKUP_TTL_MS) {
        try {
          urls = await lookup();
        } catch (err) {
          throw unavailable(`Consul lookup of ${service} failed: ${reasonOf(err)}`, err);
        }
        fetchedAt = Date.now();
      }
      if (urls.length === 0) throw unavailable(`no healthy instance of ${service} in Consul`);
      return urls[next++ % urls.length];
    },
    failed(url) {
      urls = urls.filter((u) => u !== url);
    },
  };
}
