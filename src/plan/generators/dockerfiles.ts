/**
 * A Dockerfile per deployed part (each service and the Node gateway, or the monolith's one) and
 * the root `.dockerignore`, when compose or Kubernetes files are generated. Every image is built
 * from the system's root folder: the runtime package and the lockfile are there.
 */
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { deployedParts, healthScript, type Part } from '../deploy/parts.js';
import { IMAGES } from '../deploy/images.js';
import { hashComment } from '../deploy/yaml.js';
import { HEADER_TEXT, type PlannedFile } from '../tree.js';

/** `shop/user:dev`: the tag compose builds and the Kubernetes base runs (overlays set their own). */
export const imageOf = (system: string, part: Part): string => `${system}/${part.name}:dev`;

/** Where a part's Dockerfile is. */
export const dockerfilePath = (part: Part): string => `${part.dir}/Dockerfile`;

/** Whether any deployment files are generated at all. */
export const deploys = (ctx: GenerateContext): boolean => ctx.model.deploy.compose || ctx.model.deploy.kubernetes !== undefined;

function what(part: Part, system: string): string {
  switch (part.kind) {
    case 'service':
      return `the ${part.name} service`;
    case 'gateway':
      return `${system}'s Node gateway`;
    case 'monolith':
      return `${system} as one process (deploy.mode: monolith)`;
  }
}

/**
 * The build stage installs what compiling needs: for one package, its dependencies and the
 * root's (TypeScript); for the monolith, everything (each service's own type packages).
 */
const buildInstall = (part: Part): string =>
  part.kind === 'monolith' ? 'npm ci --no-audit --no-fund' : `npm ci -w ${part.dir} --include-workspace-root --no-audit --no-fund`;

export function dockerFiles(ctx: GenerateContext): PlannedFile[] {
  if (!deploys(ctx)) return [];
  const { model, specPath } = ctx;
  const header = `${HEADER_TEXT}. Source: ${specPath}.`;
  const files: PlannedFile[] = deployedParts(model, 'compose').map((part) => ({
    path: dockerfilePath(part),
    owner: 'generated',
    key: `deploy:dockerfile:${part.name}`,
    content: render('deploy/Dockerfile', {
      header,
      intro: hashComment(
        `The image of ${what(part, model.name)}. Build it from the system's root folder, which holds the runtime package and the lockfile (docker-compose.yml does):\n  docker build -f ${dockerfilePath(part)} -t ${imageOf(model.name, part)} .\nIt needs package-lock.json: run \`npm install\` once in the root folder and commit the lockfile.`,
      ),
      dir: part.dir,
      base: IMAGES.node,
      packages: part.packages,
      manifests: part.manifests,
      buildInstall: buildInstall(part),
      env: part.kind === 'monolith' ? 'HOST=0.0.0.0' : `HOST=0.0.0.0 PORT=${part.ports[0]}`,
      ports: part.ports,
      healthcheck: JSON.stringify(['node', '-e', healthScript(part)]),
    }),
  }));
  files.push({ path: '.dockerignore', owner: 'generated', key: 'deploy:dockerignore', content: render('deploy/dockerignore', { header }) });
  return files;
}
