/**
 * system/: the whole system as one workspace package and one process (runtime defineSystem),
 * importing each service's definition from its package. `microgen dev` runs it, and it is what
 * `deploy.mode: monolith` ships; the services and handlers are the same as when they run apart.
 */
import { camelCase } from '../../model/names.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { packageJsonFile } from '../package-json.js';
import { servicePath } from '../paths.js';
import type { PlannedFile } from '../tree.js';
import { deps } from '../versions.js';
import { packageName, SYSTEM_PACKAGE_DIR } from '../workspaces.js';

export function systemFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const header = tsHeader(specPath).trimEnd();
  const path = (p: string) => `${SYSTEM_PACKAGE_DIR}/${p}`;
  const key = (what: string) => `system:${what}`;
  const services = model.services.map((s) => ({ variable: `${camelCase(s.name)}Service`, package: packageName(model, s.name) }));
  const packageJson = {
    name: packageName(model, 'system'),
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'dist/main.js',
    scripts: { build: 'tsc -b', start: 'node dist/main.js' },
    dependencies: { ...deps('@microgen/runtime'), ...Object.fromEntries(services.map((s) => [s.package, '*'])) },
  };
  return [
    packageJsonFile(path('package.json'), key('package-json'), packageJson),
    {
      path: path('tsconfig.json'),
      owner: 'generated',
      key: key('tsconfig'),
      content: render('system/tsconfig.json', { header: tsHeader(specPath).split('\n')[0].slice(3), references: model.services.map((s) => `../${servicePath(s.name)}`) }),
    },
    {
      path: path('src/generated/system.ts'),
      owner: 'generated',
      key: key('system'),
      content: render('system/system.ts', { header, name: model.name, services, variables: services.map((s) => s.variable) }),
    },
    { path: path('src/main.ts'), owner: 'scaffold', key: key('main'), content: render('system/main.ts', { name: model.name }) },
  ];
}
