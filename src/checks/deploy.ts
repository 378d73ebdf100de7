/**
 * What deployment needs of a spec: names compose gives its own containers (`deploy-name`),
 * Kubernetes settings a Deployment can run with (`kubernetes-scaling`), and what has no effect
 * when every service shares one process (`monolith-ignored`).
 */
import type { Scaling, SystemModel } from '../model/types.js';
import { composeInfrastructure } from '../plan/deploy/parts.js';
import type { SpecPath } from '../model/types.js';
import { error, warning, type Finding } from './finding.js';

export function checkDeployNames(model: SystemModel): Finding[] {
  const taken = new Map(composeInfrastructure(model).map((c) => [c.name, c.what]));
  return model.services.flatMap((s) => {
    const what = taken.get(s.name);
    return what === undefined ? [] : [error('deploy-name', s.at, `service ${s.name} has the name docker-compose.yml gives ${what}: rename the service`, 'key')];
  });
}

/** A Kubernetes quantity in base units (CPUs, bytes); undefined when it is not one the schema allows. */
export function quantityValue(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text);
  if (!match) return undefined;
  const unit = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

function scalingProblems(scaling: Scaling, at: SpecPath, who: string): Finding[] {
  const out: Finding[] = [];
  if (scaling.maxReplicas < scaling.replicas) {
    out.push(error('kubernetes-scaling', at, `${who} has maxReplicas ${scaling.maxReplicas}, fewer than its replicas (${scaling.replicas})`, 'key'));
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const request = scaling.resources.requests[resource];
    const limit = scaling.resources.limits[resource];
    if ((quantityValue(request) ?? 0) > (quantityValue(limit) ?? Infinity)) {
      out.push(error('kubernetes-scaling', at, `${who} requests ${request} of ${resource === 'cpu' ? 'CPU' : 'memory'}, more than its limit (${limit}): Kubernetes refuses such a Deployment`, 'key'));
    }
  }
  return out;
}

export function checkKubernetesScaling(model: SystemModel): Finding[] {
  const k8s = model.deploy.kubernetes;
  if (!k8s) return [];
  return [
    ...scalingProblems(k8s.scaling, k8s.at, 'every Deployment'),
    ...k8s.services.flatMap((o) => scalingProblems(o.scaling, o.at, `the Deployment of service ${o.service}`)),
    ...(k8s.gatewayAt ? scalingProblems(k8s.gateway, k8s.gatewayAt, "the gateway's Deployment") : []),
  ];
}

export function checkMonolith(model: SystemModel): Finding[] {
  if (model.deploy.mode !== 'monolith') return [];
  const out: Finding[] = [];
  const k8s = model.deploy.kubernetes;
  for (const o of k8s?.services ?? []) {
    out.push(warning('monolith-ignored', o.at, `the Kubernetes settings of service ${o.service} have no effect in monolith mode: one Deployment runs every service, with the settings of deploy.kubernetes`, 'key'));
  }
  if (k8s?.gatewayAt && model.gateway.kind === 'node') {
    out.push(warning('monolith-ignored', k8s.gatewayAt, "the gateway's Kubernetes settings have no effect in monolith mode: the Node gateway runs in the system's process", 'key'));
  }
  if (model.discovery === 'consul') {
    out.push(warning('monolith-ignored', ['discovery', 'kind'], 'discovery through Consul has no effect in monolith mode: the services of one process call each other on 127.0.0.1'));
  }
  return out;
}
