/**
 * What runs when a system is deployed, as docker-compose.yml, the Dockerfiles and Kubernetes
 * see it: one part per service and the Node gateway (`deploy.mode: services`), or one part for
 * the whole system (`monolith`); each with its image, ports, health checks and settings. The
 * settings are neutral here: plain values, and secrets by what they are, which compose fills in
 * from `.env` and Kubernetes takes from a Secret.
 */
import { constantCase, serviceUrlEnv } from '../../model/names.js';
import { servicesNamed } from '../../model/lookup.js';
import type { Service, SystemModel } from '../../model/types.js';
import { jwtSecretVar, JWT_PUBLIC_KEY_VAR } from '../generators/kong.js';
import { servicePath } from '../paths.js';
import { GATEWAY_PACKAGE_DIR, RUNTIME_PACKAGE_DIR, SYSTEM_PACKAGE_DIR, workspacePackages } from '../workspaces.js';

/** The name of the part that runs the whole system in monolith mode (compose service, Deployment). */
export const MONOLITH = 'system';
/** The gateway's name in compose and Kubernetes, whichever gateway it is. */
export const GATEWAY = 'gateway';
/** How long a stopping process may take before it exits 1 (`SHUTDOWN_TIMEOUT_MS`); the platforms wait longer. */
export const SHUTDOWN_TIMEOUT_MS = 20_000;

/** A value a part needs that must not be written into a file. */
export type Secret =
  | { readonly kind: 'database'; readonly service: Service }
  | { readonly kind: 'broker' }
  /** The HS256 secret the gateway checks tokens with; `variable` is `gateway.auth.jwt.secretEnv`. */
  | { readonly kind: 'jwt'; readonly variable: string }
  /** The Redis of the Node gateway's shared rate-limit counts (`rateLimitStore: redis`). */
  | { readonly kind: 'rate-limit-store' }
  /** The PEM public key Kong checks RS256 tokens with (`jwksUrl`: Kong cannot fetch a JWKS). */
  | { readonly kind: 'jwt-public-key' };

/** An environment variable of a part: a plain value, or a secret. */
export type Setting = { readonly name: string; readonly value: string } | { readonly name: string; readonly secret: Secret };

export interface Part {
  /** Its name in compose and Kubernetes: the service's, `gateway` or `system`. */
  readonly name: string;
  readonly kind: 'service' | 'gateway' | 'monolith';
  /** The workspace package it is built from (`services/user`, `gateway`, `system`). */
  readonly dir: string;
  /** The workspace packages its image holds (built), the runtime first and its own last. */
  readonly packages: readonly string[];
  /** The workspace packages whose package.json the image's install sees: the monolith's sees all. */
  readonly manifests: readonly string[];
  /** Where it listens: the first port is its own; a monolith listens on every service's. */
  readonly ports: readonly number[];
  /** The setting that moves each port (`PORT`; in a monolith `USER_PORT`…). */
  readonly portSettings: readonly string[];
  /** The names it answers to: a monolith stands in for every service (and the Node gateway). */
  readonly aliases: readonly string[];
  readonly settings: readonly Setting[];
  /** The services whose database it opens. */
  readonly databases: readonly Service[];
  readonly broker: boolean;
  readonly rateLimitStore: boolean;
}

/** `deploy` targets differ in one thing here: compose runs Consul, Kubernetes has its own DNS. */
export type Target = 'compose' | 'kubernetes';

/** The key of a secret in `.env` and in the system's Kubernetes Secret: the same names in both. */
export function secretKey(secret: Secret): string {
  switch (secret.kind) {
    case 'database':
      return `${constantCase(secret.service.name)}_DATABASE_URL`;
    case 'broker':
      return 'BROKER_URL';
    case 'jwt':
      return secret.variable;
    case 'rate-limit-store':
      return 'GATEWAY_REDIS_URL';
    case 'jwt-public-key':
      return JWT_PUBLIC_KEY_VAR;
  }
}

/** The Kubernetes Secret every part reads its secrets from. */
export const secretName = (model: SystemModel): string => `${model.name}-secrets`;

/** A service uses the broker when it publishes or subscribes. */
export const usesBroker = (service: Service): boolean => service.features.publishes || service.features.subscribes;

/** A gateway is deployed when it has routes to serve. */
const deploysGateway = (model: SystemModel): boolean => model.gateway.routes.length > 0;
/** Whether the Node gateway is deployed (`gateway.kind: node`). */
export const nodeGateway = (model: SystemModel): boolean => model.gateway.kind === 'node' && deploysGateway(model);
/** Whether Kong is deployed in front of the system (`gateway.kind: kong`). */
export const kongGateway = (model: SystemModel): boolean => model.gateway.kind === 'kong' && deploysGateway(model);

/**
 * Whether the monolith's process runs the Node gateway: the system package holds it once it is a
 * workspace package, whatever `gateway.kind` (it then needs the gateway's secrets to start).
 */
export const gatewayInSystem = (model: SystemModel): boolean => workspacePackages(model).includes(GATEWAY_PACKAGE_DIR);

/** The services the gateway forwards to. */
export function routedServices(model: SystemModel): Service[] {
  return servicesNamed(model, model.gateway.routes.flatMap((r) => (r.service !== undefined ? [r.service] : [])));
}

const url = (service: Service): string => `http://${service.name}:${service.port}`;
const serviceUrls = (services: readonly Service[]): Setting[] => services.map((s) => ({ name: serviceUrlEnv(s.name), value: url(s) }));

function gatewaySecrets(model: SystemModel): Setting[] {
  const secretEnv = model.gateway.jwt?.secretEnv;
  return [
    ...(secretEnv !== undefined ? [{ name: secretEnv, secret: { kind: 'jwt', variable: secretEnv } } as const] : []),
    ...(model.gateway.rateLimitStore === 'redis' ? [{ name: 'GATEWAY_REDIS_URL', secret: { kind: 'rate-limit-store' } } as const] : []),
  ];
}

function servicePart(model: SystemModel, service: Service, target: Target): Part {
  const callees = servicesNamed(model, service.clients.map((c) => c.service));
  const consul = model.discovery === 'consul' && target === 'compose';
  return {
    name: service.name,
    kind: 'service',
    dir: servicePath(service.name),
    packages: [RUNTIME_PACKAGE_DIR, servicePath(service.name)],
    manifests: [RUNTIME_PACKAGE_DIR, servicePath(service.name)],
    ports: [service.port],
    portSettings: ['PORT'],
    aliases: [],
    settings: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(service.port) },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: String(SHUTDOWN_TIMEOUT_MS) },
      // Under compose with `discovery: consul`, callees are found in Consul; elsewhere by DNS name.
      ...(consul ? [{ name: 'CONSUL_URL', value: `http://${CONSUL}:8500` }] : serviceUrls(callees)),
      ...(service.features.database ? [{ name: 'DATABASE_URL', secret: { kind: 'database', service } } as const] : []),
      ...(usesBroker(service) ? [{ name: 'BROKER_URL', secret: { kind: 'broker' } } as const] : []),
    ],
    databases: service.features.database ? [service] : [],
    broker: usesBroker(service),
    rateLimitStore: false,
  };
}

function gatewayPart(model: SystemModel): Part {
  return {
    name: GATEWAY,
    kind: 'gateway',
    dir: GATEWAY_PACKAGE_DIR,
    packages: [RUNTIME_PACKAGE_DIR, GATEWAY_PACKAGE_DIR],
    manifests: [RUNTIME_PACKAGE_DIR, GATEWAY_PACKAGE_DIR],
    ports: [model.gateway.port],
    portSettings: ['PORT'],
    aliases: [],
    settings: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(model.gateway.port) },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: String(SHUTDOWN_TIMEOUT_MS) },
      ...serviceUrls(routedServices(model)),
      ...gatewaySecrets(model),
    ],
    databases: [],
    broker: false,
    rateLimitStore: model.gateway.rateLimitStore === 'redis',
  };
}

/**
 * The whole system as one process. Only `<SERVICE>_<NAME>` settings reach a service there (but
 * for the one broker, `BROKER_URL`), and the services call each other on 127.0.0.1 (their
 * default), so no discovery is configured.
 */
function monolithPart(model: SystemModel): Part {
  const inside = gatewayInSystem(model);
  // The gateway inside is the one clients reach with `kind: node`; with Kong, Kong is.
  const served = inside && nodeGateway(model);
  return {
    name: MONOLITH,
    kind: 'monolith',
    dir: SYSTEM_PACKAGE_DIR,
    packages: [RUNTIME_PACKAGE_DIR, ...model.services.map((s) => servicePath(s.name)), ...(inside ? [GATEWAY_PACKAGE_DIR] : []), SYSTEM_PACKAGE_DIR],
    manifests: workspacePackages(model),
    ports: [...model.services.map((s) => s.port), ...(served ? [model.gateway.port] : [])],
    portSettings: [...model.services.map((s) => `${constantCase(s.name)}_PORT`), ...(served ? ['GATEWAY_PORT'] : [])],
    aliases: [...model.services.map((s) => s.name), ...(served ? [GATEWAY] : [])],
    settings: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: String(SHUTDOWN_TIMEOUT_MS) },
      ...model.services.flatMap((service): Setting[] =>
        service.features.database ? [{ name: `${constantCase(service.name)}_DATABASE_URL`, secret: { kind: 'database', service } }] : [],
      ),
      // One broker serves the whole process: a plain BROKER_URL holds for every service in it.
      ...(model.services.some(usesBroker) ? [{ name: 'BROKER_URL', secret: { kind: 'broker' } } as const] : []),
      ...(inside ? gatewaySecrets(model) : []),
    ],
    databases: model.services.filter((s) => s.features.database),
    broker: model.services.some(usesBroker),
    rateLimitStore: inside && model.gateway.rateLimitStore === 'redis',
  };
}

/** What runs, in order: the services (or the monolith), then the Node gateway when it runs alone. */
export function deployedParts(model: SystemModel, target: Target): Part[] {
  if (model.deploy.mode === 'monolith') return [monolithPart(model)];
  return [...model.services.map((s) => servicePart(model, s, target)), ...(nodeGateway(model) ? [gatewayPart(model)] : [])];
}

/** Every secret the parts read, each once, by key (the Kubernetes Secret's keys). */
export function secretsOf(parts: readonly Pick<Part, 'settings'>[]): Secret[] {
  const seen = new Map<string, Secret>();
  for (const p of parts) for (const s of p.settings) if ('secret' in s) seen.set(secretKey(s.secret), s.secret);
  return [...seen.keys()].sort().map((key) => seen.get(key)!);
}

/**
 * A one-line Node script that exits 0 when `GET /health` answers 2xx on every port of a part,
 * wherever its settings moved them: the images' HEALTHCHECK, compose's health check and the
 * monolith's readiness probe (the images have no curl). It holds no `$`, which compose would
 * read as a variable.
 */
export function healthScript(part: Pick<Part, 'ports' | 'portSettings'>): string {
  const exit = (ok: string) => `.then((r) => process.exit(${ok} ? 0 : 1), () => process.exit(1))`;
  const url = (port: string) => `'http://127.0.0.1:' + ${port} + '/health'`;
  if (part.ports.length === 1) return `fetch(${url(`(process.env.${part.portSettings[0]} || ${part.ports[0]})`)})${exit('r.ok')}`;
  const ports = part.ports.map((p, i) => `['${part.portSettings[i]}', ${p}]`).join(', ');
  return `Promise.all([${ports}].map(([v, p]) => fetch(${url('(process.env[v] || p)')})))${exit('r.every((x) => x.ok)')}`;
}

/** Kong's status listener (health and readiness), beside its proxy on `gateway.port`. */
export const kongStatusPort = (model: SystemModel): number => (model.gateway.port === 8100 ? 8101 : 8100);

/** Where gateway/kong.yml is mounted for decK, and where decK writes what Kong reads. */
export const KONG_TEMPLATE = '/kong-template/kong.yml';
export const KONG_RENDERED_DIR = '/kong';
export const KONG_RENDERED = `${KONG_RENDERED_DIR}/kong.yml`;

/**
 * How Kong gets its configuration: gateway/kong.yml holds decK templates instead of secrets, so
 * a decK container renders it (from the settings here) into the file Kong reads, first.
 */
export function kongRendering(model: SystemModel): { readonly settings: Setting[]; readonly script: string } {
  const jwt = model.gateway.jwt;
  const steps = ['set -e'];
  const settings: Setting[] = [];
  if (jwt?.secretEnv !== undefined) {
    settings.push({ name: jwt.secretEnv, secret: { kind: 'jwt', variable: jwt.secretEnv } });
    steps.push(`export ${jwtSecretVar(jwt.secretEnv)}="$(printf %s "$${jwt.secretEnv}" | base64 | tr -d '\\n')"`);
  } else if (jwt?.jwksUrl !== undefined) {
    settings.push({ name: JWT_PUBLIC_KEY_VAR, secret: { kind: 'jwt-public-key' } });
  }
  steps.push(`deck file render --populate-env-vars ${KONG_TEMPLATE} -o ${KONG_RENDERED}`, `chmod 644 ${KONG_RENDERED}`);
  return { settings, script: steps.join('; ') };
}

/** The keys of the system's Kubernetes Secret: what the parts and Kong's rendering read. */
export function kubernetesSecretKeys(model: SystemModel): string[] {
  const parts = deployedParts(model, 'kubernetes');
  return secretsOf([...parts, ...(kongGateway(model) ? [kongRendering(model)] : [])]).map(secretKey);
}

/** The compose names of what runs beside the parts: a service must not take one of them. */
export function composeInfrastructure(model: SystemModel): { readonly name: string; readonly what: string }[] {
  if (!model.deploy.compose) return [];
  const parts = deployedParts(model, 'compose');
  return [
    ...model.services.filter((s) => s.features.database).map((s) => ({ name: databaseContainerName(s), what: `the database of service ${s.name}` })),
    ...(parts.some((p) => p.broker) ? [{ name: BROKER, what: 'RabbitMQ' }] : []),
    ...(parts.some((p) => p.settings.some((s) => s.name === 'CONSUL_URL')) ? [{ name: CONSUL, what: 'Consul' }] : []),
    ...(parts.some((p) => p.rateLimitStore) ? [{ name: RATE_LIMIT_STORE, what: "the gateway's rate-limit Redis" }] : []),
    ...(kongGateway(model) ? [{ name: KONG_CONFIG, what: "the container that renders Kong's configuration" }] : []),
  ];
}

export const databaseContainerName = (service: Service): string => `${service.name}-db`;
export const BROKER = 'rabbitmq';
export const CONSUL = 'consul';
export const RATE_LIMIT_STORE = 'gateway-redis';
export const KONG_CONFIG = 'gateway-config';
