/** The npm-workspaces root: package.json, tsconfig files, .gitignore, .env.example, README. */
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { jsonFile, jsonHeaderValue } from '../header.js';
import { HEADER_TEXT, type PlannedFile } from '../tree.js';
import { deps, OVERRIDES } from '../versions.js';

export function workspaceFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const servicePaths = model.services.map((s) => `services/${s.name}`);
  const header = `${HEADER_TEXT}. Source: ${specPath}.`;
  const packageJson = {
    '//': jsonHeaderValue(specPath),
    name: model.name,
    private: true,
    type: 'module',
    workspaces: servicePaths,
    scripts: {
      build: 'tsc -b',
      clean: 'tsc -b --clean',
      check: 'microgen check',
    },
    devDependencies: deps('typescript', '@types/node'),
    overrides: OVERRIDES,
  };
  const services = model.services.map((s) => ({ name: s.name, port: s.port, database: s.database, operationCount: s.operations.length }));
  return [
    { path: 'package.json', owner: 'generated', key: 'workspace:package-json', content: jsonFile(packageJson) },
    { path: 'tsconfig.base.json', owner: 'generated', key: 'workspace:tsconfig-base', content: render('workspace/tsconfig.base.json', { header }) },
    { path: 'tsconfig.json', owner: 'generated', key: 'workspace:tsconfig', content: render('workspace/tsconfig.json', { header, projects: servicePaths }) },
    { path: '.gitignore', owner: 'generated', key: 'workspace:gitignore', content: render('workspace/gitignore', { header }) },
    { path: '.env.example', owner: 'generated', key: 'workspace:env-example', content: render('workspace/env.example', { header, services }) },
    {
      path: 'README.md',
      owner: 'generated',
      key: 'workspace:readme',
      content: render('workspace/README.md', {
        header,
        name: model.name,
        description: model.description,
        specPath,
        services,
        firstService: model.services[0]?.name ?? '<name>',
      }),
    },
  ];
}
