/**
 * The runnable part of a service: the Fastify app (routes with their JSON Schemas, /health,
 * request ids, errors in the `Error` shape, start and graceful shutdown), the service context
 * handed to the user's classes, the small runtime shared with handlers, and the user-owned
 * entry point.
 */
import type { Service } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import type { PlannedFile } from '../tree.js';
import { clientViews, hasFallbacks } from './clients.js';
import { databaseDoc } from './database.js';
import { routeSchemas } from './route-schemas.js';

/** `/users/{id}` → `/users/:id` (Fastify's syntax). */
export const fastifyPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

export function serviceAppFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const dir = `services/${service.name}`;
  const header = tsHeader(specPath).trimEnd();
  const key = (what: string) => `service:${service.name}:${what}`;
  const clients = clientViews(model, service);
  const features = {
    database: service.database !== 'none',
    clients: clients.length > 0,
    fallbacks: hasFallbacks(model, service),
    consul: model.discovery === 'consul',
  };
  const schemas = routeSchemas(model, service);
  return [
    { path: `${dir}/src/generated/runtime.ts`, owner: 'generated', key: key('runtime'), content: render('service/runtime.ts', { header }) },
    {
      path: `${dir}/src/generated/context.ts`,
      owner: 'generated',
      key: key('context'),
      content: render('service/context.ts', { header, service: service.name, clients, database: features.database, databaseDoc: databaseDoc(service.database) }),
    },
    {
      path: `${dir}/src/generated/schemas.ts`,
      owner: 'generated',
      key: key('schemas'),
      content: render('service/schemas.ts', {
        header,
        service: service.name,
        components: JSON.stringify(schemas.components, null, 2),
        routes: JSON.stringify(schemas.routes, null, 2),
      }),
    },
    {
      path: `${dir}/src/generated/app.ts`,
      owner: 'generated',
      key: key('app'),
      content: render('service/app.ts', {
        header,
        service: service.name,
        port: service.port,
        ...features,
        operations: service.operations.map((op) => ({ name: op.name, method: op.method, url: fastifyPath(op.path) })),
      }),
    },
    { path: `${dir}/src/main.ts`, owner: 'scaffold', key: key('main'), content: render('service/main.ts', { fallbacks: features.fallbacks }) },
  ];
}
