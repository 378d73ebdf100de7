/**
 * The `deploy` block → the model: the mode, and for Kubernetes each Deployment's replicas,
 * autoscaling bounds and resources with every default filled in (built-in, then
 * `deploy.kubernetes.*`, then the service's or the gateway's own settings).
 */
import type * as Raw from '../spec/raw.js';
import type { Deploy, Gateway, Kubernetes, Quantities, Scaling } from './types.js';

type Resources = Scaling['resources'];

/** What a service container gets when the spec says nothing. */
export const SERVICE_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
/** The monolith runs every service in one process. */
export const MONOLITH_RESOURCES: Resources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } };
/** Kong (nginx with LuaJIT) needs more memory than a Node service to start. */
export const KONG_RESOURCES: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
export const DEFAULT_CPU_UTILIZATION = 70;

const quantity = (value: string | number | undefined): string | undefined => (value === undefined ? undefined : String(value));

function quantitiesOf(raw: Raw.ResourceRequests | Raw.ResourceLimits | undefined, base: Quantities): Quantities {
  return { cpu: quantity(raw?.cpu) ?? base.cpu, memory: quantity(raw?.memory) ?? base.memory };
}

/** The fields a Deployment's settings are made of, as the spec may give them at any level. */
type RawScaling = Raw.KubernetesSettingsOfOneDeployment;

/**
 * Settings from the levels given, most general first. `maxReplicas` left open everywhere is
 * twice `replicas` from 2 replicas up (a single replica is not autoscaled unless asked).
 */
function scalingOf(levels: readonly (RawScaling | undefined)[], resources: Resources): Scaling {
  const pick = <K extends keyof RawScaling>(key: K): RawScaling[K] | undefined => levels.reduce<RawScaling[K] | undefined>((found, level) => level?.[key] ?? found, undefined);
  const replicas = pick('replicas') ?? 1;
  return {
    replicas,
    maxReplicas: pick('maxReplicas') ?? (replicas >= 2 ? replicas * 2 : replicas),
    cpuUtilization: pick('cpuUtilization') ?? DEFAULT_CPU_UTILIZATION,
    resources: levels.reduce<Resources>(
      (acc, level) => ({ requests: quantitiesOf(level?.resources?.requests, acc.requests), limits: quantitiesOf(level?.resources?.limits, acc.limits) }),
      resources,
    ),
  };
}

function kubernetesOf(raw: Raw.KubernetesBlock, system: string, mode: Deploy['mode'], gateway: Gateway): Kubernetes {
  const { services, gateway: gatewaySettings, namespace, ...defaults } = raw;
  const base = mode === 'monolith' ? MONOLITH_RESOURCES : SERVICE_RESOURCES;
  return {
    namespace: namespace ?? system,
    scaling: scalingOf([defaults], base),
    services: Object.entries(services ?? {}).map(([service, own]) => ({ service, scaling: scalingOf([defaults, own], base), at: ['deploy', 'kubernetes', 'services', service] })),
    gateway: scalingOf([defaults, gatewaySettings], gateway.kind === 'kong' ? KONG_RESOURCES : SERVICE_RESOURCES),
    ...(gatewaySettings ? { gatewayAt: ['deploy', 'kubernetes', 'gateway'] } : {}),
    at: ['deploy', 'kubernetes'],
  };
}

export function deployOf(raw: Raw.DeployBlock | undefined, system: string, gateway: Gateway): Deploy {
  const mode = raw?.mode ?? 'services';
  return {
    mode,
    compose: raw?.compose ?? true,
    ...(raw?.kubernetes ? { kubernetes: kubernetesOf(raw.kubernetes, system, mode, gateway) } : {}),
  };
}

/** The settings of a service's Deployment: its own, else the defaults. */
export function serviceScaling(kubernetes: Kubernetes, service: string): Scaling {
  return kubernetes.services.find((o) => o.service === service)?.scaling ?? kubernetes.scaling;
}
