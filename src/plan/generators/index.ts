/**
 * Every generator, in one list (like checks/index.ts lists every rule). A generator is a pure
 * function from the model to planned files; a new output family (events, the gateway, compose,
 * Kubernetes, sagas) is a new entry here, not a new branch in an existing template.
 */
import type { Service } from '../../model/types.js';
import type { GenerateContext } from '../context.js';
import type { PlannedFile } from '../tree.js';
import { clientFiles } from './clients.js';
import { composeFiles } from './compose.js';
import { contractFiles } from './contracts.js';
import { dockerFiles } from './dockerfiles.js';
import { eventFiles } from './events.js';
import { gatewayFiles } from './gateway.js';
import { kongFiles } from './kong.js';
import { kubernetesFiles } from './kubernetes.js';
import { openApiFile } from './openapi-file.js';
import { runtimeFiles } from './runtime.js';
import { sagaFiles } from './sagas.js';
import { serviceDefinitionFiles } from './service-definition.js';
import { servicePackageFiles } from './service-package.js';
import { systemFiles } from './system.js';
import { workspaceFiles } from './workspace.js';

export interface Generator {
  /** What it writes, in a word (shown when two generators claim one file). */
  readonly name: string;
  readonly files: (ctx: GenerateContext) => PlannedFile[];
}

/** A generator that runs once per service. */
const perService = (files: (ctx: GenerateContext, service: Service) => PlannedFile | PlannedFile[]) => (ctx: GenerateContext) =>
  ctx.model.services.flatMap((service) => files(ctx, service));

export const GENERATORS: readonly Generator[] = [
  { name: 'workspace', files: workspaceFiles },
  { name: 'runtime', files: runtimeFiles },
  { name: 'service-package', files: perService(servicePackageFiles) },
  { name: 'contracts', files: perService(contractFiles) },
  { name: 'events', files: perService(eventFiles) },
  { name: 'openapi', files: perService(openApiFile) },
  { name: 'service-definition', files: perService(serviceDefinitionFiles) },
  { name: 'clients', files: perService(clientFiles) },
  { name: 'sagas', files: perService(sagaFiles) },
  { name: 'gateway', files: gatewayFiles },
  { name: 'system', files: systemFiles },
  { name: 'kong', files: kongFiles },
  { name: 'dockerfiles', files: dockerFiles },
  { name: 'compose', files: composeFiles },
  { name: 'kubernetes', files: kubernetesFiles },
];
