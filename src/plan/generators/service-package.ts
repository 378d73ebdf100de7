/** A service's package.json (created once, then only added to) and tsconfig.json. */
import type { Service } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { databaseDependencies } from '../databases.js';
import { tsHeader } from '../header.js';
import { packageJsonFile } from '../package-json.js';
import { serviceKey, servicePath } from '../paths.js';
import type { PlannedFile } from '../tree.js';
import { packageName } from '../workspaces.js';
import { deps, type Dependency } from '../versions.js';

/** What a service needs installed: the runtime library, its database's driver, and the RabbitMQ client when it has events. */
export function serviceDependencies(service: Service) {
  const db = databaseDependencies(service.database);
  const events: Dependency[] = service.features.publishes || service.features.subscribes ? ['amqplib'] : [];
  return { dependencies: deps('@microgen/runtime', ...db.dependencies, ...events), devDependencies: deps(...db.devDependencies) };
}

export function servicePackageFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const needs = serviceDependencies(service);
  const packageJson = {
    name: packageName(ctx.model, service.name),
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'dist/main.js',
    // What the system package (one process for all services) imports; the entry point stays main.
    exports: { './service': { types: './dist/generated/service.d.ts', default: './dist/generated/service.js' } },
    scripts: { build: 'tsc -b', start: 'node dist/main.js' },
    dependencies: needs.dependencies,
    ...(Object.keys(needs.devDependencies).length > 0 ? { devDependencies: needs.devDependencies } : {}),
  };
  return [
    packageJsonFile(servicePath(service.name, 'package.json'), serviceKey(service.name, 'package-json'), packageJson),
    {
      path: servicePath(service.name, 'tsconfig.json'),
      owner: 'generated',
      key: serviceKey(service.name, 'tsconfig'),
      content: render('service/tsconfig.json', { header: tsHeader(ctx.specPath).split('\n')[0].slice(3) }),
    },
  ];
}
