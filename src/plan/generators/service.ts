/**
 * One service, composed from one module per idea: package.json and tsconfig here; the typed
 * contract (contracts.ts), openapi.yaml (openapi-file.ts), the Fastify app and its context
 * (service-app.ts), clients of the services it calls (clients.ts), its database (database.ts)
 * and Consul registration (discovery.ts).
 */
import type { Service } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { packageJsonFile } from '../package-json.js';
import type { PlannedFile } from '../tree.js';
import { deps, type Dependency } from '../versions.js';
import { clientFiles, resolvedCalls } from './clients.js';
import { contractFiles } from './contracts.js';
import { databaseDependencies, databaseFiles } from './database.js';
import { discoveryFiles } from './discovery.js';
import { openApiFile } from './openapi-file.js';
import { serviceAppFiles } from './service-app.js';

export { eventTypeName, messageTypeName, operationTypeName } from './contracts.js';

/** What a service needs installed: fastify and pino always, cockatiel for calls, its database client. */
export function serviceDependencies(ctx: GenerateContext, service: Service): { dependencies: Dependency[]; devDependencies: Dependency[] } {
  const db = databaseDependencies(service.database);
  const calls: Dependency[] = resolvedCalls(ctx.model, service).length > 0 ? ['cockatiel'] : [];
  return { dependencies: ['ajv', 'ajv-formats', 'fastify', 'pino', ...calls, ...db.dependencies], devDependencies: db.devDependencies };
}

export function serviceFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const dir = `services/${service.name}`;
  const key = (what: string) => `service:${service.name}:${what}`;
  const needs = serviceDependencies(ctx, service);
  const packageJson = {
    name: `@${model.name}/${service.name}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'dist/main.js',
    scripts: { build: 'tsc -b', start: 'node dist/main.js' },
    dependencies: deps(...needs.dependencies),
    ...(needs.devDependencies.length > 0 ? { devDependencies: deps(...needs.devDependencies) } : {}),
  };
  return [
    packageJsonFile(`${dir}/package.json`, key('package-json'), packageJson),
    { path: `${dir}/tsconfig.json`, owner: 'generated', key: key('tsconfig'), content: render('service/tsconfig.json', { header: tsHeader(specPath).split('\n')[0].slice(3) }) },
    openApiFile(ctx, service),
    ...contractFiles(ctx, service),
    ...serviceAppFiles(ctx, service),
    ...clientFiles(ctx, service),
    ...databaseFiles(ctx, service),
    ...discoveryFiles(ctx, service),
  ];
}
