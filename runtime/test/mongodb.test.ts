/**
 * The MongoDB resource without a MongoDB server (none runs here): a server that refuses the
 * connection is reported at once, at start and by the health check, instead of after the
 * driver's server selection timeout (5 s) or the start's budget (2 s).
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/service-process.js';
import { mongodb } from '../src/db/mongodb.js';
import { captureLogger } from './helpers.js';

describe('mongodb', () => {
  it('starts at once when the server refuses the connection, says so once, and reports it down at once', async () => {
    const port = await freePort();
    const log = captureLogger();
    const resource = mongodb('mongodb://127.0.0.1:27017/x')({ service: 'test', logger: log.logger, setting: (n) => (n === 'DATABASE_URL' ? `mongodb://127.0.0.1:${port}/order` : undefined) });
    try {
      let started = performance.now();
      await resource.open();
      // Well under the start's 2 s budget; the refusal itself takes milliseconds.
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(log.lines().filter((l) => l.level === 50)).toHaveLength(1);
      expect(log.text()).toContain(`database unreachable at start (connect ECONNREFUSED 127.0.0.1:${port})`);
      started = performance.now();
      await expect(resource.health()).rejects.toThrow('ECONNREFUSED');
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(resource.describe?.()).toBe(`MongoDB at 127.0.0.1:${port}/order`);
    } finally {
      await resource.close();
    }
  });
});
