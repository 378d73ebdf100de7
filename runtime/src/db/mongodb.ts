/** A service's MongoDB database (`database: mongodb`): `this.ctx.db` is the database `DATABASE_URL` names. */
import { MongoClient, type Db, type TopologyDescriptionChangedEvent } from 'mongodb';
import { connectAtStart, serverOf, type Resource, type ResourceFactory } from '../resource.js';

export type { Db } from 'mongodb';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Runs `attempt` (a connection and a ping), failing as soon as every server the client knows
 * has failed its check: the driver's server selection keeps trying a server that refused the
 * connection until `serverSelectionTimeoutMS`, but the refusal is an answer already (nothing
 * listens there), so a start or a health check need not wait for the timeout to say so. While
 * the last check failed, an attempt fails at once (and still goes on, to find a server that
 * came back: the next check sees it).
 */
function failingFast(mongo: MongoClient): (attempt: () => Promise<void>) => Promise<void> {
  let failure: Error | undefined;
  const waiting = new Set<(err: Error) => void>();
  mongo.on('topologyDescriptionChanged', (event: TopologyDescriptionChangedEvent) => {
    const servers = [...event.newDescription.servers.values()];
    failure = servers.length > 0 && servers.every((s) => s.error) ? (servers[0].error ?? undefined) : undefined;
    if (failure) for (const fail of waiting) fail(failure);
  });
  return async (attempt) => {
    const attempted = attempt();
    let fail!: (err: Error) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    if (failure) fail(failure);
    waiting.add(fail);
    try {
      await Promise.race([attempted, failed]);
    } finally {
      waiting.delete(fail);
    }
  };
}

export function mongodb(defaultUrl: string): ResourceFactory<Db> {
  return ({ logger, setting }) => {
    const url = setting('DATABASE_URL') ?? defaultUrl;
    const mongo = new MongoClient(url, { serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS, connectTimeoutMS: CONNECT_TIMEOUT_MS });
    const db = mongo.db();
    // connect() is a no-op once connected, and tries again after a failed first connection
    // (the driver does not retry that one by itself), so a database that comes up later is found.
    const unlessFailed = failingFast(mongo);
    const health = (): Promise<void> =>
      unlessFailed(async () => {
        await mongo.connect();
        await db.command({ ping: 1 });
      });
    const resource: Resource<Db> = {
      name: 'database',
      client: db,
      open: () => connectAtStart(logger, 'database', health),
      health,
      describe: () => `MongoDB at ${serverOf(url)}`,
      close: () => mongo.close(),
    };
    return resource;
  };
}
