/**
 * What makes a service run: its route table (schemas.ts), the context its handler classes
 * receive (context.ts), the service definition the runtime starts (service.ts), and the
 * user-owned entry point (main.ts).
 */
import type { Service } from '../../model/types.js';
import { lineComment } from '../../render/escape.js';
import { render } from '../../render/templates.js';
import { tsLiteral } from '../../render/ts-literal.js';
import type { GenerateContext } from '../context.js';
import { databaseView } from '../databases.js';
import { tsHeader } from '../header.js';
import { serviceKey, servicePath } from '../paths.js';
import type { PlannedFile } from '../tree.js';
import { routeSchemas } from './route-schemas.js';
import { sagaWiring } from './sagas.js';

/** `/users/{id}` → `/users/:id` (Fastify's syntax). */
export const fastifyPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** The comment at the top of context.ts: what `this.ctx` holds for this service. */
function contextSummary(service: Service): string {
  const { features } = service;
  const parts = ['the logger'];
  if (features.database) parts.push('the database');
  if (features.clients) parts.push(`the typed clients of the services ${service.name} calls`);
  if (features.publishes) parts.push('`publish` for its events');
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return lineComment(`What your handler classes receive as \`this.ctx\`: ${list}. The runtime builds it once at start.`);
}

export function serviceDefinitionFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const header = tsHeader(specPath).trimEnd();
  const file = (path: string, what: string, content: string): PlannedFile => ({ path: servicePath(service.name, path), owner: 'generated', key: serviceKey(service.name, what), content });
  const { features } = service;
  const database = databaseView(service);
  const schemas = routeSchemas(model, service);
  const routes = service.operations
    .filter((op) => schemas.routes[op.name])
    .map((op) => ({ operation: op.name, method: op.method, url: fastifyPath(op.path), schema: schemas.routes[op.name] }));
  const hasEvents = features.publishes || features.subscribes;
  const receivers = features.received;
  const events = hasEvents
    ? {
        exchange: model.broker.exchange,
        publishes: features.publishes,
        receivers,
        imports: ['EVENT_SCHEMAS', ...(features.publishes ? ['PUBLISHES'] : []), ...(receivers ? ['RECEIVERS'] : []), ...(features.subscribes ? ['SUBSCRIPTIONS'] : [])].join(', '),
      }
    : undefined;
  const publish = features.publishes ? { exchange: model.broker.exchange, outbox: service.database === 'postgres' } : undefined;
  return [
    file('src/generated/context.ts', 'context', render('service/context.ts', { header, summary: contextSummary(service), service: service.name, database, clients: features.clients, sagas: features.sagas, publish })),
    file('src/generated/schemas.ts', 'schemas', render('service/schemas.ts', { header, service: service.name, components: tsLiteral(schemas.components, '', 'export const COMPONENTS: readonly object[] = ;'.length), routes: tsLiteral(routes, '', 'export const ROUTES: readonly RouteDef<OperationHandlers>[] = ;'.length) })),
    file(
      'src/generated/service.ts',
      'service',
      render('service/service.ts', {
        header,
        service: service.name,
        port: service.port,
        discovery: model.discovery,
        database,
        clients: features.clients,
        fallbacks: features.fallbacks,
        events,
        subscribes: features.subscribes,
        sagas: sagaWiring(model, service),
      }),
    ),
    { path: servicePath(service.name, 'src/main.ts'), owner: 'scaffold', key: serviceKey(service.name, 'main'), content: render('service/main.ts', { service: service.name }) },
  ];
}
