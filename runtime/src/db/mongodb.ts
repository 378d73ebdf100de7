/** A service's MongoDB database (`database: mongodb`): `this.ctx.db` is the database `DATABASE_URL` names. */
import { MongoClient, type Db } from 'mongodb';
import { connectAtStart, serverOf, type Resource, type ResourceFactory } from '../resource.js';

export type { Db } from 'mongodb';

const CONNECT_TIMEOUT_MS = 5_000;

export function mongodb(defaultUrl: string): ResourceFactory<Db> {
  return ({ logger, setting }) => {
    const url = setting('DATABASE_URL') ?? defaultUrl;
    const mongo = new MongoClient(url, { serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS, connectTimeoutMS: CONNECT_TIMEOUT_MS });
    const db = mongo.db();
    // connect() is a no-op once connected, and tries again after a failed first connection
    // (the driver does not retry that one by itself), so a database that comes up later is found.
    const health = async (): Promise<void> => {
      await mongo.connect();
      await db.command({ ping: 1 });
    };
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
