/** Where a service is, for its callers and the gateway alike (one rule: serviceEndpoint). */
import { describe, expect, it } from 'vitest';
import { serviceEndpoint } from '../src/http/endpoint.js';
import { captureLogger } from './helpers.js';

describe('serviceEndpoint', () => {
  const { logger } = captureLogger();
  const where = (env: NodeJS.ProcessEnv, discovery: 'consul' | 'dns' = 'dns') => serviceEndpoint(discovery, 'order-history', 8006, env, logger);

  it('takes <SERVICE>_SERVICE_URL first', async () => {
    const endpoint = where({ ORDER_HISTORY_SERVICE_URL: 'http://history:9000', ORDER_HISTORY_PORT: '7000', CONSUL_URL: 'http://consul:8500' }, 'consul');
    expect(await endpoint.url()).toBe('http://history:9000');
  });

  it('asks Consul when discovery is consul and CONSUL_URL is set', () => {
    expect(where({ CONSUL_URL: 'http://consul:8500' }, 'consul').where).toBe('Consul at http://consul:8500');
    expect(where({ CONSUL_URL: 'http://consul:8500' }, 'dns').where).toBe('http://127.0.0.1:8006');
  });

  it('else expects the service on this machine, at <SERVICE>_PORT when that is set', async () => {
    expect(await where({}).url()).toBe('http://127.0.0.1:8006');
    expect(await where({ ORDER_HISTORY_PORT: '7006' }).url()).toBe('http://127.0.0.1:7006');
  });
});
