/**
 * The Kubernetes files of every deploy spec with `deploy.kubernetes`:
 * - every object validates with kubernetes-models 4.x (`new Deployment(o).validate()`: types,
 *   required fields, formats), and, since that accepts fields the API does not have, TypeScript
 *   checks each object literal against the same package's types (excess property checks);
 * - the objects hold together: selectors match pods, ports and ConfigMaps exist, secrets come
 *   from the system's Secret by key, scaling objects follow the spec;
 * - `kubectl kustomize` builds the base and both overlays where kubectl is installed.
 * No cluster runs here: nothing is applied.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/system.js';
import { baseObjects, generatedSpec, KUBERNETES_SPECS, type K8sObject } from './helpers.js';

/** apiVersion/kind → the kubernetes-models class and the module its type comes from. */
const MODELS: Record<string, { model: new (data: never) => { validate(): void }; module: string; type: string }> = {
  'v1/Namespace': { model: core.Namespace, module: 'kubernetes-models/v1', type: 'INamespace' },
  'v1/ConfigMap': { model: core.ConfigMap, module: 'kubernetes-models/v1', type: 'IConfigMap' },
  'v1/Service': { model: core.Service, module: 'kubernetes-models/v1', type: 'IService' },
  'apps/v1/Deployment': { model: apps.Deployment, module: 'kubernetes-models/apps/v1', type: 'IDeployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: autoscaling.HorizontalPodAutoscaler, module: 'kubernetes-models/autoscaling/v2', type: 'IHorizontalPodAutoscaler' },
  'policy/v1/PodDisruptionBudget': { model: policy.PodDisruptionBudget, module: 'kubernetes-models/policy/v1', type: 'IPodDisruptionBudget' },
};
const modelOf = (o: K8sObject) => MODELS[`${o.apiVersion}/${o.kind}`];

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/**
 * TypeScript's errors for each object as a literal of its kubernetes-models type (excess property
 * checks find fields the API does not have), by the index of the object.
 */
function typeErrors(objects: readonly K8sObject[]): Map<number, string[]> {
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.k8s-types-'));
  try {
    const alias = (o: K8sObject) => modelOf(o).module.replace(/\W/g, '_');
    const imports = [...new Set(objects.map((o) => modelOf(o).module))].map((m) => `import type * as ${m.replace(/\W/g, '_')} from '${m}';`);
    const lines = objects.map((o, i) => `export const o${i}: ${alias(o)}.${modelOf(o).type} = ${JSON.stringify(o)};`);
    const file = join(dir, 'objects.ts');
    writeFileSync(file, [...imports, ...lines].join('\n'));
    // Only what the objects need: without `types` and `lib`, TypeScript also loaded the DOM and
    // every @types package (600 files instead of 250, several times slower); they type-check
    // complete without them.
    const options = { strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'] };
    const program = ts.createProgram([file], { ...options, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 });
    const errors = new Map<number, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - imports.length : -1;
      errors.set(line, [...(errors.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('every object of every spec', () => {
  const deployment = (): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'x', image: 'x:1' }] } } },
  });

  it('kubernetes-models rejects a wrong type (and the generated objects are checked with it below)', () => {
    const wrong = deployment();
    (wrong.spec as { replicas: unknown }).replicas = 'two';
    expect(() => new apps.Deployment(wrong as never).validate()).toThrow(/replicas must be integer/);
  });

  it('names only fields the API has: TypeScript finds a misspelt one that kubernetes-models lets through, and none in the generated objects', async () => {
    const misspelt = deployment();
    (misspelt.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0].readinesProbe = {};
    expect(() => new apps.Deployment(misspelt as never).validate()).not.toThrow();
    const generated = (await Promise.all(KUBERNETES_SPECS.map(generatedSpec))).flatMap((dir) => baseObjects(dir).map((f) => f.object));
    const errors = typeErrors([misspelt, ...generated]);
    expect(errors.get(0)?.join('\n')).toContain('readinesProbe"\' does not exist');
    errors.delete(0);
    expect([...errors]).toEqual([]);
  });
});

describe.each(KUBERNETES_SPECS)('Kubernetes files of %s', (name) => {
  let dir: string;
  let objects: K8sObject[];
  const find = (kind: string, n: string) => objects.find((o) => o.kind === kind && o.metadata.name === n);

  beforeAll(async () => {
    dir = await generatedSpec(name);
    objects = baseObjects(dir).map((f) => f.object);
  });

  it('every object validates with kubernetes-models', () => {
    for (const o of objects) {
      expect(modelOf(o), `${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new (modelOf(o).model)(o as never).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('lists every file in the base kustomization, with the namespace of the spec', () => {
    const kustomization = parse(readFileSync(join(dir, 'k8s/base/kustomization.yaml'), 'utf8')) as { namespace: string; resources: string[] };
    const files = [...new Set(baseObjects(dir).map((f) => f.file))].sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    const namespace = objects.filter((o) => o.kind === 'Namespace');
    expect(namespace.map((o) => o.metadata.name)).toEqual([kustomization.namespace]);
  });

  it('holds together: Services select pods on ports they have, config and secrets exist by name', () => {
    const spec = parse(readFileSync(join(dir, 'microgen.yaml'), 'utf8')) as { name: string };
    type Pod = { containers: Container[]; initContainers?: Container[]; volumes?: { name: string; configMap?: { name: string } }[] };
    type Container = { ports?: { name: string; containerPort: number }[]; envFrom?: { configMapRef: { name: string } }[]; env?: { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[] };
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const podOf = (d: K8sObject) => (d.spec as { template: { metadata: { labels: Record<string, string> }; spec: Pod } }).template;
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const { selector, ports } = service.spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
      const targets = deployments.filter((d) => Object.entries(selector).every(([k, v]) => podOf(d).metadata.labels[k] === v));
      expect(targets, `pods of Service ${service.metadata.name}`).toHaveLength(1);
      const containerPorts = podOf(targets[0]).spec.containers.flatMap((c) => c.ports ?? []);
      for (const p of ports) expect(containerPorts.map((c) => c.name), `${service.metadata.name} → ${p.targetPort}`).toContain(p.targetPort);
    }
    for (const d of deployments) {
      const pod = podOf(d).spec;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        for (const ref of c.envFrom ?? []) expect(find('ConfigMap', ref.configMapRef.name), ref.configMapRef.name).toBeDefined();
        for (const e of c.env ?? []) if (e.valueFrom) expect(e.valueFrom.secretKeyRef.name).toBe(`${spec.name}-secrets`);
      }
      for (const v of pod.volumes ?? []) if (v.configMap) expect(find('ConfigMap', v.configMap.name), v.configMap.name).toBeDefined();
    }
    for (const o of objects.filter((x) => x.kind === 'HorizontalPodAutoscaler' || x.kind === 'PodDisruptionBudget')) {
      expect(find('Deployment', o.metadata.name), `${o.kind} ${o.metadata.name}`).toBeDefined();
    }
    // A budget exactly where there are two replicas or more, an autoscaler where it may grow.
    for (const d of deployments) {
      const replicas = (d.spec as { replicas: number }).replicas;
      expect(!!find('PodDisruptionBudget', d.metadata.name), `budget of ${d.metadata.name}`).toBe(replicas >= 2);
      const hpa = find('HorizontalPodAutoscaler', d.metadata.name);
      if (hpa) expect((hpa.spec as { minReplicas: number }).minReplicas).toBe(replicas);
    }
  });

  it('stops gracefully within the grace period, and probes /health for readiness', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const pod = (d.spec as { template: { spec: { terminationGracePeriodSeconds: number; containers: Record<string, unknown>[] } } }).template.spec;
      for (const c of pod.containers) {
        expect(c.lifecycle, `${d.metadata.name}: preStop`).toMatchObject({ preStop: { exec: { command: expect.any(Array) } } });
        expect(c.startupProbe && c.livenessProbe && c.readinessProbe, d.metadata.name).toBeTruthy();
        expect(JSON.stringify(c.readinessProbe)).toMatch(/\/health|\/status\/ready/);
        expect(c.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { cpu: expect.any(String), memory: expect.any(String) } });
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
        expect(String(c.image)).not.toMatch(/:latest$|^[^:]+$/);
      }
      // preStop (5 s) + SHUTDOWN_TIMEOUT_MS (20 s) fit in the grace period.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    }
  });

  it.skipIf(!KUBECTL)('kubectl kustomize builds the base and both overlays', () => {
    for (const target of ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/prod']) {
      const build = spawnSync('kubectl', ['kustomize', target], { cwd: dir, encoding: 'utf8' });
      expect(build.stderr, target).toBe('');
      expect(build.status, target).toBe(0);
      expect(build.stdout).toContain('kind: Deployment');
    }
  });
});

describe('Kubernetes settings from the spec', () => {
  it('the Node gateway fixture: defaults, per-service replicas and autoscaling bounds, resources, namespace', async () => {
    const dir = await generatedSpec('node-gateway');
    const objects = baseObjects(dir).map((f) => f.object);
    const get = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
    const hpa = (name: string) => get('HorizontalPodAutoscaler', name)?.spec as { minReplicas: number; maxReplicas: number; metrics: { resource: { target: { averageUtilization: number } } }[] } | undefined;
    expect(hpa('stock')).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expect(hpa('report-cache')).toMatchObject({ minReplicas: 2, maxReplicas: 5, metrics: [{ resource: { target: { averageUtilization: 60 } } }] });
    expect(hpa('audit')).toBeUndefined();
    expect(get('PodDisruptionBudget', 'audit')).toBeUndefined();
    expect(hpa('gateway')).toMatchObject({ minReplicas: 3, maxReplicas: 5 });
    const container = (name: string) => (get('Deployment', name).spec as { template: { spec: { containers: { resources: unknown; env?: unknown[] }[] } } }).template.spec.containers[0];
    expect(container('stock').resources).toEqual({ requests: { cpu: '200m', memory: '192Mi' }, limits: { cpu: '1.5', memory: '384Mi' } });
    expect(container('gateway').resources).toEqual({ requests: { cpu: '200m', memory: '192Mi' }, limits: { cpu: '1.5', memory: '512Mi' } });
    expect(objects.find((o) => o.kind === 'Namespace')?.metadata.name).toBe('depot-system');
    // The gateway reaches each routed service by its Service name, and its secrets by key.
    expect(get('ConfigMap', 'gateway').data).toMatchObject({ STOCK_SERVICE_URL: 'http://stock:8101', REPORT_CACHE_SERVICE_URL: 'http://report-cache:8103' });
    expect(container('gateway').env).toEqual([
      { name: 'DEPOT_TOKEN_SECRET', valueFrom: { secretKeyRef: { name: 'depot-secrets', key: 'DEPOT_TOKEN_SECRET' } } },
      { name: 'GATEWAY_REDIS_URL', valueFrom: { secretKeyRef: { name: 'depot-secrets', key: 'GATEWAY_REDIS_URL' } } },
    ]);
  });

  it('the monolith: one Deployment, one Service per service name on that service’s port', async () => {
    const dir = await generatedSpec('shop (monolith)');
    const objects = baseObjects(dir).map((f) => f.object);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual(['gateway', 'system']);
    const services = objects.filter((o) => o.kind === 'Service' && o.metadata.name !== 'gateway');
    expect(services.map((s) => [s.metadata.name, (s.spec as { ports: { port: number }[] }).ports[0].port])).toEqual([
      ['user', 8001],
      ['product', 8003],
      ['order', 8002],
      ['inventory', 8004],
      ['payment', 8005],
      ['notification', 8006],
    ]);
    const system = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'system')!;
    const env = (system.spec as { template: { spec: { containers: { env: { name: string; valueFrom: { secretKeyRef: { key: string } } }[] }[] } } }).template.spec.containers[0].env;
    // One process reads one environment: each service's settings carry its prefix.
    expect(env.map((e) => `${e.name}←${e.valueFrom.secretKeyRef.key}`)).toContain('USER_DATABASE_URL←USER_DATABASE_URL');
    expect(env.map((e) => `${e.name}←${e.valueFrom.secretKeyRef.key}`)).toContain('BROKER_URL←BROKER_URL');
  });
});
