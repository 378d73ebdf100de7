/**
 * What each `database` kind means for a generated service: the runtime module that opens it,
 * the type handlers see as `this.ctx.db`, its local default URL and the packages it needs.
 */
import type { Database, Service } from '../model/types.js';
import type { Dependency } from './versions.js';

export interface DatabaseView {
  /** `@microgen/runtime/<module>`. */
  readonly module: string;
  /** The resource factory it exports. */
  readonly factory: string;
  /** The type of `this.ctx.db`, exported by the same module. */
  readonly type: string;
  /** The one-line description of `this.ctx.db`. */
  readonly doc: string;
  /** `DATABASE_URL` when unset. */
  readonly url: string;
}

/**
 * The local default of `DATABASE_URL`: what the generated README's local set-up creates (a
 * `microgen` role and one database per service; Redis database 0).
 */
export function defaultDatabaseUrl(service: Service): string | undefined {
  switch (service.database) {
    case 'postgres':
      return `postgres://microgen:microgen@127.0.0.1:5432/${service.name}`;
    case 'mongodb':
      return `mongodb://127.0.0.1:27017/${service.name}`;
    case 'redis':
      return 'redis://127.0.0.1:6379/0';
    case 'none':
      return undefined;
  }
}

export function databaseView(service: Service): DatabaseView | undefined {
  const url = defaultDatabaseUrl(service);
  switch (service.database) {
    case 'postgres':
      return { module: 'postgres', factory: 'postgres', type: 'Postgres', doc: 'PostgreSQL: `await this.ctx.db.query(sql, values)`, and `transaction(async (tx) => …)`.', url: url! };
    case 'mongodb':
      return { module: 'mongodb', factory: 'mongodb', type: 'Db', doc: 'MongoDB (the database `DATABASE_URL` names): `this.ctx.db.collection(name)`.', url: url! };
    case 'redis':
      return { module: 'redis', factory: 'redis', type: 'Redis', doc: 'Redis (ioredis): `await this.ctx.db.get(key)`.', url: url! };
    case 'none':
      return undefined;
  }
}

/** What each database kind needs installed, at run time and at build time. */
export function databaseDependencies(db: Database): { dependencies: Dependency[]; devDependencies: Dependency[] } {
  switch (db) {
    case 'postgres':
      return { dependencies: ['pg'], devDependencies: ['@types/pg'] };
    case 'mongodb':
      return { dependencies: ['mongodb'], devDependencies: [] };
    case 'redis':
      return { dependencies: ['ioredis'], devDependencies: [] };
    case 'none':
      return { dependencies: [], devDependencies: [] };
  }
}
