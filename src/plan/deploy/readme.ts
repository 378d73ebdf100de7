/** What the generated README says about deploying: the images, compose and Kubernetes. */
import type { SystemModel } from '../../model/types.js';
import { kongGateway, kubernetesSecretKeys, nodeGateway, secretName } from './parts.js';

export function deployView(model: SystemModel) {
  const { deploy } = model;
  if (!deploy.compose && !deploy.kubernetes) return undefined;
  return {
    monolith: deploy.mode === 'monolith',
    nodeGateway: nodeGateway(model),
    compose: deploy.compose,
    kong: kongGateway(model),
    kubernetes: deploy.kubernetes ? { namespace: deploy.kubernetes.namespace, secret: secretName(model), secrets: kubernetesSecretKeys(model).length > 0 } : undefined,
  };
}
