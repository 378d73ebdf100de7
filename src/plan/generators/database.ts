/**
 * `database: postgres | mongodb | redis`: src/generated/database.ts opens a typed client from
 * `DATABASE_URL` (pg Pool, mongodb Db, ioredis Redis), pings it for /health and closes it on
 * shutdown. Nothing for `none`.
 */
import type { Database, Service } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import type { PlannedFile } from '../tree.js';
import type { Dependency } from '../versions.js';

/** What each database kind needs at run time and at build time. */
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

/** The local default of `DATABASE_URL` (for `microgen dev` without a .env): one database per service. */
export function defaultDatabaseUrl(service: Service): string | undefined {
  switch (service.database) {
    case 'postgres':
      return `postgres://postgres:postgres@127.0.0.1:5432/${service.name}`;
    case 'mongodb':
      return `mongodb://127.0.0.1:27017/${service.name}`;
    case 'redis':
      return 'redis://127.0.0.1:6379/0';
    case 'none':
      return undefined;
  }
}

/** The one-line description of `ctx.db` in context.ts. */
export function databaseDoc(db: Database): string {
  switch (db) {
    case 'postgres':
      return 'PostgreSQL connection pool (pg): `await this.ctx.db.query(sql, values)`.';
    case 'mongodb':
      return 'MongoDB database (the one named in `DATABASE_URL`): `this.ctx.db.collection(name)`.';
    case 'redis':
      return 'Redis client (ioredis): `await this.ctx.db.get(key)`.';
    case 'none':
      return '';
  }
}

export function databaseFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  if (service.database === 'none') return [];
  return [
    {
      path: `services/${service.name}/src/generated/database.ts`,
      owner: 'generated',
      key: `service:${service.name}:database`,
      content: render('service/database.ts', {
        header: tsHeader(ctx.specPath).trimEnd(),
        kind: service.database,
        defaultUrl: defaultDatabaseUrl(service),
      }),
    },
  ];
}
