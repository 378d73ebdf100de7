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
import { GATEWAY_PACKAGE_DIR, packageName, SYSTEM_PACKAGE_DIR } from '../workspaces.js';

/** `[a, b]`, or one name per line when that would pass 100 columns. */
function identifierList(names: readonly string[], used: number): string {
  const flat = `[${names.join(', ')}]`;
  return used + flat.length <= 100 ? flat : `[\n${names.map((n) => `    ${n},`).join('\n')}\n  ]`;
}

export function systemFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const header = tsHeader(specPath).trimEnd();
  const path = (p: string) => `${SYSTEM_PACKAGE_DIR}/${p}`;
  const key = (what: string) => `system:${what}`;
  const services = model.services.map((s) => ({ variable: `${camelCase(s.name)}Service`, package: packageName(model, s.name) }));
  const gatewayPackage = packageName(model, GATEWAY_PACKAGE_DIR);
  const packageJson = {
    name: packageName(model, 'system'),
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'dist/main.js',
    scripts: { build: 'tsc -b', start: 'node dist/main.js' },
    dependencies: { ...deps('@microgen/runtime'), ...Object.fromEntries([...services.map((s) => s.package), gatewayPackage].map((p) => [p, '*'])) },
  };
  return [
    packageJsonFile(path('package.json'), key('package-json'), packageJson),
    {
      path: path('tsconfig.json'),
      owner: 'generated',
      key: key('tsconfig'),
      content: render('system/tsconfig.json', { header: tsHeader(specPath).split('\n')[0].slice(3), references: [...model.services.map((s) => `../${servicePath(s.name)}`), `../${GATEWAY_PACKAGE_DIR}`] }),
    },
    {
      path: path('src/generated/system.ts'),
      owner: 'generated',
      key: key('system'),
      content: render('system/system.ts', { header, name: model.name, services, servicesList: identifierList(services.map((s) => s.variable), '  services: ,'.length), gatewayPackage }),
    },
    { path: path('src/main.ts'), owner: 'scaffold', key: key('main'), content: render('system/main.ts', { name: model.name }) },
  ];
}
