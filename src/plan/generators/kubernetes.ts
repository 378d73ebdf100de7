/**
 * Kubernetes (`deploy.kubernetes`): a generator-owned kustomize base under k8s/base and two
 * overlays under k8s/overlays (dev, prod) that are yours, created once. Per deployed part a
 * ConfigMap, a Deployment (probes, resources, a preStop delay before the SIGTERM drain) and a
 * Service; an autoscaler and a disruption budget when it scales. Secrets are referenced by the
 * Secret's name and keys, never written. docs/deploy.md explains each choice.
 */
import { createHash } from 'node:crypto';
import { serviceScaling } from '../../model/deploy.js';
import type { Kubernetes, Scaling, SystemModel } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { hashHeader } from '../header.js';
import {
  deployedParts,
  GATEWAY,
  healthScript,
  KONG_RENDERED,
  KONG_RENDERED_DIR,
  KONG_TEMPLATE,
  kongGateway,
  kongRendering,
  kongStatusPort,
  secretKey,
  secretName,
  kubernetesSecretKeys,
  MONOLITH,
  nodeGateway,
  type Part,
  type Setting,
} from '../deploy/parts.js';
import { hashComment, toPortableYaml } from '../deploy/yaml.js';
import type { PlannedFile } from '../tree.js';
import { imageOf } from './dockerfiles.js';
import { DECK_IMAGE } from '../deploy/images.js';
import { KONG_IMAGE, kongYaml } from './kong.js';

type Manifest = Record<string, unknown>;

/** Seconds a pod keeps serving after it is told to stop, while Services stop sending it requests. */
export const PRE_STOP_SECONDS = 5;
/** Longer than the preStop delay plus SHUTDOWN_TIMEOUT_MS (20 s): the drain ends before the kill. */
export const TERMINATION_GRACE_SECONDS = 30;
/** Kong's template: named like the gateway, which no service can be (the schema reserves it). */
const KONG_CONFIG_MAP = GATEWAY;

const labelsOf = (model: SystemModel, name: string, component: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': model.name,
  'app.kubernetes.io/component': component,
});
const selectorOf = (model: SystemModel, name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': model.name });
const metadata = (model: SystemModel, name: string, component: string) => ({ name, labels: labelsOf(model, name, component) });

/** What every container runs with: no root, no privilege escalation, a read-only root file system. */
const CONTAINER_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const POD_SECURITY = { seccompProfile: { type: 'RuntimeDefault' } };

const resourcesOf = (scaling: Scaling) => scaling.resources;

/** `env` entries for the secrets of a part: each from the system's Secret, by key. */
function secretEnv(model: SystemModel, settings: readonly Setting[]): Manifest[] {
  return settings.flatMap((s) => ('secret' in s ? [{ name: s.name, valueFrom: { secretKeyRef: { name: secretName(model), key: secretKey(s.secret) } } }] : []));
}
const plainSettings = (settings: readonly Setting[]): Record<string, string> => Object.fromEntries(settings.flatMap((s) => ('value' in s ? [[s.name, s.value]] : [])));

/** A HorizontalPodAutoscaler when the part may grow, a PodDisruptionBudget when it has 2 replicas or more. */
function scalingObjects(model: SystemModel, name: string, component: string, scaling: Scaling): Manifest[] {
  const out: Manifest[] = [];
  if (scaling.maxReplicas > scaling.replicas) {
    out.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(model, name, component),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: scaling.replicas,
        maxReplicas: scaling.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.cpuUtilization } } }],
      },
    });
  }
  if (scaling.replicas >= 2) {
    out.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(model, name, component),
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(model, name) } },
    });
  }
  return out;
}

function deployment(model: SystemModel, name: string, component: string, scaling: Scaling, pod: Manifest, annotations?: Record<string, string>): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(model, name, component),
    spec: {
      replicas: scaling.replicas,
      revisionHistoryLimit: 5,
      // A new pod is ready before an old one stops taking requests.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: selectorOf(model, name) },
      template: {
        metadata: { labels: labelsOf(model, name, component), ...(annotations ? { annotations } : {}) },
        spec: { terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS, securityContext: POD_SECURITY, ...pod },
      },
    },
  };
}

const portName = (part: Part, port: number): string => (part.ports.length === 1 ? 'http' : `http-${port}`);

/** A Node part (a service, the Node gateway, the monolith): ConfigMap, Deployment, Services, scaling. */
function partObjects(model: SystemModel, k8s: Kubernetes, part: Part): Manifest[] {
  const component = part.kind;
  const scaling = part.kind === 'service' ? serviceScaling(k8s, part.name) : part.kind === 'gateway' ? k8s.gateway : k8s.scaling;
  const main = portName(part, part.ports[0]);
  // One process serves several ports in a monolith: it is ready when every one of them is.
  const readiness =
    part.kind === 'monolith'
      ? { exec: { command: ['node', '-e', healthScript(part)] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 2 }
      : { httpGet: { path: '/health', port: main }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 };
  const container = {
    name: part.name,
    image: imageOf(model.name, part),
    imagePullPolicy: 'IfNotPresent',
    ports: part.ports.map((p) => ({ name: portName(part, p), containerPort: p })),
    envFrom: [{ configMapRef: { name: part.name } }],
    ...(part.settings.some((s) => 'secret' in s) ? { env: secretEnv(model, part.settings) } : {}),
    resources: resourcesOf(scaling),
    // Listening is enough to be alive: /health also reports the database and broker, whose
    // outage should take the pod out of the Services (readiness), not restart it.
    startupProbe: { tcpSocket: { port: main }, periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { tcpSocket: { port: main }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: readiness,
    // Services and load balancers stop sending to a stopping pod only a moment after it is told to
    // stop: it keeps serving for that moment, then SIGTERM drains what is in flight.
    lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } },
    securityContext: CONTAINER_SECURITY,
  };
  const services: Manifest[] =
    part.kind === 'monolith'
      ? part.aliases.map((alias, i) => ({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: metadata(model, alias, 'monolith'),
          spec: { selector: selectorOf(model, part.name), ports: [{ name: 'http', port: part.ports[i], targetPort: portName(part, part.ports[i]) }] },
        }))
      : [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: metadata(model, part.name, component),
            spec: { selector: selectorOf(model, part.name), ports: [{ name: 'http', port: part.ports[0], targetPort: main }] },
          },
        ];
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(model, part.name, component), data: plainSettings(part.settings) },
    deployment(model, part.name, component, scaling, { containers: [container] }),
    ...services,
    ...scalingObjects(model, part.name, component, scaling),
  ];
}

/** CPUs a quantity stands for, rounded up (Kong runs one nginx worker per CPU it may use). */
function wholeCpus(quantity: string): number {
  const cpus = quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
  return Math.max(1, Math.ceil(cpus));
}

/**
 * Kong, DB-less: an init container renders gateway/kong.yml (a ConfigMap) with decK, filling in
 * the secret from the Secret, into a volume Kong reads. The pod template carries a hash of the
 * configuration, so a new one rolls the Deployment.
 */
function kongObjects(model: SystemModel, k8s: Kubernetes, template: string): Manifest[] {
  const scaling = k8s.gateway;
  const rendering = kongRendering(model);
  const port = model.gateway.port;
  const mounts = { template: '/kong-template', prefix: '/kong_prefix', tmp: '/tmp' };
  const kong = {
    name: 'kong',
    image: KONG_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    env: Object.entries({
      KONG_DATABASE: 'off',
      KONG_DECLARATIVE_CONFIG: KONG_RENDERED,
      KONG_PROXY_LISTEN: `0.0.0.0:${port}`,
      KONG_ADMIN_LISTEN: 'off',
      KONG_STATUS_LISTEN: `0.0.0.0:${kongStatusPort(model)}`,
      KONG_PREFIX: mounts.prefix,
      KONG_NGINX_WORKER_PROCESSES: String(wholeCpus(scaling.resources.limits.cpu)),
      KONG_PROXY_ACCESS_LOG: '/dev/stdout',
      KONG_PROXY_ERROR_LOG: '/dev/stderr',
    }).map(([name, value]) => ({ name, value })),
    ports: [
      { name: 'proxy', containerPort: port },
      { name: 'status', containerPort: kongStatusPort(model) },
    ],
    resources: resourcesOf(scaling),
    startupProbe: { httpGet: { path: '/status', port: 'status' }, periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { httpGet: { path: '/status', port: 'status' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/status/ready', port: 'status' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
    // Kong stops gracefully on `kong quit` (SIGQUIT), not on the SIGTERM Kubernetes sends.
    lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `sleep ${PRE_STOP_SECONDS} && kong quit`] } } },
    volumeMounts: [
      { name: 'config', mountPath: KONG_RENDERED_DIR, readOnly: true },
      { name: 'prefix', mountPath: mounts.prefix },
      { name: 'tmp', mountPath: mounts.tmp },
    ],
    securityContext: CONTAINER_SECURITY,
  };
  const renderConfig = {
    name: 'render-config',
    image: DECK_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', rendering.script],
    ...(rendering.settings.length > 0 ? { env: secretEnv(model, rendering.settings) } : {}),
    resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
    volumeMounts: [
      { name: 'template', mountPath: KONG_TEMPLATE.slice(0, KONG_TEMPLATE.lastIndexOf('/')), readOnly: true },
      { name: 'config', mountPath: KONG_RENDERED_DIR },
    ],
    securityContext: CONTAINER_SECURITY,
  };
  const pod = {
    initContainers: [renderConfig],
    containers: [kong],
    volumes: [
      { name: 'template', configMap: { name: KONG_CONFIG_MAP } },
      { name: 'config', emptyDir: {} },
      { name: 'prefix', emptyDir: {} },
      { name: 'tmp', emptyDir: {} },
    ],
  };
  const hash = createHash('sha256').update(template).digest('hex').slice(0, 16);
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(model, KONG_CONFIG_MAP, 'gateway'), data: { 'kong.yml': template } },
    deployment(model, GATEWAY, 'gateway', scaling, pod, { 'microgen.dev/kong-config': hash }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(model, GATEWAY, 'gateway'),
      spec: { selector: selectorOf(model, GATEWAY), ports: [{ name: 'http', port, targetPort: 'proxy' }] },
    },
    ...scalingObjects(model, GATEWAY, 'gateway', scaling),
  ];
}

/** A file of several objects, after the ownership header and what the file is. */
function manifestFile(path: string, key: string, specPath: string, intro: string, objects: readonly Manifest[]): PlannedFile {
  const body = objects.map((o) => toPortableYaml(o)).join('---\n');
  return { path, owner: 'generated', key: `deploy:k8s:${key}`, content: `${hashHeader(specPath)}${intro ? hashComment(intro) : ''}${body}` };
}

/** Where each part's objects go: services by name (a name can be anything, the prefix keeps them apart). */
const partFile = (part: Part): string => (part.kind === 'service' ? `service-${part.name}.yaml` : `${part.name}.yaml`);

export function kubernetesFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const k8s = model.deploy.kubernetes;
  if (!k8s) return [];
  const base = (file: string) => `k8s/base/${file}`;
  const parts = deployedParts(model, 'kubernetes');
  const files: PlannedFile[] = [
    manifestFile(base('namespace.yaml'), 'namespace', specPath, '', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: k8s.namespace, labels: { 'app.kubernetes.io/part-of': model.name } } }]),
  ];
  for (const part of parts) {
    const intro =
      part.kind === 'monolith'
        ? `${model.name} as one process (deploy.mode: monolith): one Deployment, and a Service for each service name (and the gateway's) that sends to its pods on that port.`
        : part.kind === 'gateway'
          ? 'The Node gateway.'
          : `The ${part.name} service.`;
    files.push(manifestFile(base(partFile(part)), part.name, specPath, intro, partObjects(model, k8s, part)));
  }
  const kong = kongGateway(model);
  if (kong) {
    files.push(manifestFile(base('gateway.yaml'), GATEWAY, specPath, 'Kong 3.9, DB-less, with the routes of gateway/kong.yml (the same text, as a ConfigMap), which decK renders with the secrets first.', kongObjects(model, k8s, kongYaml(model, specPath))));
  }
  const secrets = kubernetesSecretKeys(model);
  const resources = ['namespace.yaml', ...parts.map(partFile), ...(kong ? ['gateway.yaml'] : [])];
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: k8s.namespace,
    resources,
  };
  const secretNote =
    secrets.length > 0
      ? `\nThe Deployments read their secrets from the Secret "${secretName(model)}", which these files do not hold. Create it in the namespace (kubectl create secret generic ${secretName(model)} -n ${k8s.namespace} --from-env-file=secrets.env), or let an overlay generate it (k8s/overlays/*/kustomization.yaml). Its keys:\n${secrets.map((s) => `  ${s}`).join('\n')}`
      : '';
  files.push({
    path: base('kustomization.yaml'),
    owner: 'generated',
    key: 'deploy:k8s:kustomization',
    content: `${hashHeader(specPath)}${hashComment(`The kustomize base of ${model.name}. Deploy an overlay, which builds on it: kubectl apply -k k8s/overlays/prod${secretNote}`)}${toPortableYaml(kustomization)}`,
  });
  // The overlays are created once and must fit either mode: they name the images of both.
  const images = [...model.services.map((s) => s.name), ...(nodeGateway(model) ? [GATEWAY] : [])].map((n) => `${model.name}/${n}`);
  const overlay = { namespace: k8s.namespace, secret: secretName(model), secrets, images, monolithImage: `${model.name}/${MONOLITH}`, gateway: kong || nodeGateway(model) };
  for (const env of ['dev', 'prod'] as const) {
    files.push({ path: `k8s/overlays/${env}/kustomization.yaml`, owner: 'scaffold', key: `deploy:k8s:overlay-${env}`, content: render(`deploy/overlay-${env}.yaml`, overlay) });
  }
  return files;
}
