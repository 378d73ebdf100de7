/** A service's Redis (`database: redis`): `this.ctx.db` is an ioredis client, which reconnects by itself. */
import { Redis } from 'ioredis';
import { connectAtStart, serverOf, type Resource, type ResourceFactory } from '../resource.js';

export type { Redis } from 'ioredis';

const CONNECT_TIMEOUT_MS = 5_000;

export function redis(defaultUrl: string): ResourceFactory<Redis> {
  return ({ logger, setting }) => {
    const url = setting('DATABASE_URL') ?? defaultUrl;
    const client = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 });
    // Log the transitions, not every failed reconnection attempt.
    let down = false;
    client.on('error', (err: Error) => {
      if (!down) logger.warn(`redis connection lost (${err.message}); reconnecting`);
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.info('redis connection back');
      down = false;
    });
    const health = async (): Promise<void> => {
      // While it reconnects, a command waits for the next attempt: the lost connection is the answer.
      if (client.status !== 'ready') throw new Error(`not connected (${client.status})`);
      await client.ping();
    };
    const resource: Resource<Redis> = {
      name: 'database',
      client,
      open: () =>
        connectAtStart(logger, 'database', async () => {
          await client.connect();
          await health();
        }),
      health,
      describe: () => `Redis at ${serverOf(url)}`,
      async close() {
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      },
    };
    return resource;
  };
}
