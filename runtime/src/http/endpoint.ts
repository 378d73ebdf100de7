/** Where a callee is: `url()` gives a base URL per attempt; `failed()` says that base URL did not answer. */
import type { Logger } from 'pino';
import { consulEndpoint } from '../discovery/consul.js';
import { serviceUrlVariable, serviceVariablePrefix } from '../env.js';

export interface Endpoint {
  url(): Promise<string>;
  failed?(url: string): void;
  /** Where it looks, for people (`http://127.0.0.1:8001`, `Consul at http://127.0.0.1:8500`). */
  readonly where?: string;
}

/** A fixed base URL (from `<SERVICE>_SERVICE_URL`, or the callee's local default). */
export function fixedEndpoint(url: string): Endpoint {
  return { url: async () => url, where: url };
}

/**
 * Where a service of the system is, for its callers and for the gateway: `<SERVICE>_SERVICE_URL`,
 * else Consul when discovery is consul and `CONSUL_URL` is set, else this machine at the port
 * the service listens on (`<SERVICE>_PORT`, else the spec's).
 */
export function serviceEndpoint(discovery: 'consul' | 'dns', service: string, localPort: number, env: NodeJS.ProcessEnv, logger: Logger): Endpoint {
  const url = env[serviceUrlVariable(service)];
  if (url) return fixedEndpoint(url);
  if (discovery === 'consul' && env.CONSUL_URL) return consulEndpoint(env.CONSUL_URL, service);
  const port = env[`${serviceVariablePrefix(service)}_PORT`] || String(localPort);
  logger.debug({ service }, `${serviceUrlVariable(service)} is not set; ${service} is expected on 127.0.0.1:${port}`);
  return fixedEndpoint(`http://127.0.0.1:${port}`);
}
