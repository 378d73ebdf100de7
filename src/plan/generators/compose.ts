/**
 * docker-compose.yml (generator-owned) and docker-compose.override.yml (yours, created once): the
 * deployed parts built from their Dockerfiles, a database container per service that declares
 * one, RabbitMQ, Consul (`discovery: consul`, services mode) and the gateway. Secrets come from
 * `.env` through `${VAR}` interpolation; the file holds none. docs/deploy.md explains each choice.
 */
import type { Service, SystemModel } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { hashComment, toPortableYaml } from '../deploy/yaml.js';
import type { GenerateContext } from '../context.js';
import { hashHeader } from '../header.js';
import { DECK_IMAGE, IMAGES } from '../deploy/images.js';
import {
  BROKER,
  CONSUL,
  databaseContainerName,
  deployedParts,
  GATEWAY,
  healthScript,
  KONG_CONFIG,
  KONG_RENDERED,
  KONG_RENDERED_DIR,
  KONG_TEMPLATE,
  kongGateway,
  kongRendering,
  kongStatusPort,
  MONOLITH,
  RATE_LIMIT_STORE,
  routedServices,
  secretKey,
  type Part,
  type Secret,
  type Setting,
} from '../deploy/parts.js';
import type { PlannedFile } from '../tree.js';
import { dockerfilePath, imageOf } from './dockerfiles.js';
import { JWT_PUBLIC_KEY_VAR, KONG_FILE, KONG_IMAGE } from './kong.js';

/** The user every database container and RabbitMQ is set up with (not a secret; the passwords are). */
export const COMPOSE_USER = 'microgen';
/** `.env` variables docker-compose.yml reads, with what each is for (for .env.example and docs). */
export const COMPOSE_PASSWORDS = {
  postgres: 'POSTGRES_PASSWORD',
  mongodb: 'MONGO_PASSWORD',
  redis: 'REDIS_PASSWORD',
  rabbitmq: 'RABBITMQ_PASSWORD',
} as const;

/** `${NAME:?…}`: compose stops with this message when `.env` lacks the variable. */
const required = (name: string): string => `\${${name}:?set ${name} in .env, see .env.example}`;
/** A shell command in compose, where `$` starts an interpolation unless doubled. */
const composeShell = (script: string): string => script.replace(/\$/g, '$$$$');

const HEALTH_TIMING = { interval: '10s', timeout: '3s', retries: 3, start_period: '30s' };
const INFRA_HEALTH_TIMING = { interval: '5s', timeout: '5s', retries: 20 };
const healthy = { condition: 'service_healthy' } as const;

/** The container of a service's database: its compose entry and the URL the service connects with. */
interface DatabaseContainer {
  readonly name: string;
  readonly entry: Record<string, unknown>;
  readonly url: string;
}

/** The entry of a container that keeps data: its image and settings, a named volume, a health check. */
function storeEntry(name: string, image: string, dataPath: string, test: readonly string[], settings: Record<string, unknown>, startPeriod?: string): Record<string, unknown> {
  const healthcheck = { test, ...INFRA_HEALTH_TIMING, ...(startPeriod ? { start_period: startPeriod } : {}) };
  return { image, ...settings, volumes: [`${name}-data:${dataPath}`], healthcheck, restart: 'unless-stopped' };
}

function databaseContainer(service: Service): DatabaseContainer {
  const name = databaseContainerName(service);
  switch (service.database) {
    case 'postgres': {
      const password = required(COMPOSE_PASSWORDS.postgres);
      const environment = { POSTGRES_USER: COMPOSE_USER, POSTGRES_PASSWORD: password, POSTGRES_DB: service.name };
      return {
        name,
        entry: storeEntry(name, IMAGES.postgres, '/var/lib/postgresql/data', ['CMD', 'pg_isready', '-U', COMPOSE_USER, '-d', service.name], { environment }),
        url: `postgres://${COMPOSE_USER}:${password}@${name}:5432/${service.name}`,
      };
    }
    case 'mongodb': {
      const password = required(COMPOSE_PASSWORDS.mongodb);
      const environment = { MONGO_INITDB_ROOT_USERNAME: COMPOSE_USER, MONGO_INITDB_ROOT_PASSWORD: password };
      return {
        name,
        entry: storeEntry(name, IMAGES.mongodb, '/data/db', ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping').ok"], { environment }),
        url: `mongodb://${COMPOSE_USER}:${password}@${name}:27017/${service.name}?authSource=admin`,
      };
    }
    case 'redis':
    case 'none':
      return redisContainer(name);
  }
}

/** A Redis with a password and an append-only file (a service's database, or the gateway's counts). */
function redisContainer(name: string): DatabaseContainer {
  const password = required(COMPOSE_PASSWORDS.redis);
  return {
    name,
    entry: storeEntry(name, IMAGES.redis, '/data', ['CMD-SHELL', 'redis-cli ping | grep -q PONG'], {
      command: ['redis-server', '--appendonly', 'yes', '--requirepass', password],
      // redis-cli reads the password from REDISCLI_AUTH, so it is not on its command line.
      environment: { REDISCLI_AUTH: password },
    }),
    url: `redis://:${password}@${name}:6379/0`,
  };
}

const BROKER_URL = `amqp://${COMPOSE_USER}:${required(COMPOSE_PASSWORDS.rabbitmq)}@${BROKER}:5672`;

function rabbitmq(): Record<string, unknown> {
  return storeEntry(BROKER, IMAGES.rabbitmq, '/var/lib/rabbitmq', ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'], {
    // RabbitMQ names its node (and its data folder) after the host name: keep it fixed.
    hostname: BROKER,
    environment: { RABBITMQ_DEFAULT_USER: COMPOSE_USER, RABBITMQ_DEFAULT_PASS: required(COMPOSE_PASSWORDS.rabbitmq) },
    // The management UI, on this machine only.
    ports: ['127.0.0.1:15672:15672'],
  }, '20s');
}

function consul(): Record<string, unknown> {
  return {
    image: IMAGES.consul,
    // One server agent in development mode: state in memory, the UI on this machine only.
    command: ['agent', '-dev', '-client=0.0.0.0'],
    ports: ['127.0.0.1:8500:8500'],
    healthcheck: { test: ['CMD', 'consul', 'members'], ...INFRA_HEALTH_TIMING },
    restart: 'unless-stopped',
  };
}

/** The compose value of a setting: plain, or the secret built from `.env`. */
function valueOf(setting: Setting): string {
  return 'value' in setting ? setting.value : secretValue(setting.secret);
}

function secretValue(secret: Secret): string {
  switch (secret.kind) {
    case 'database':
      return databaseContainer(secret.service).url;
    case 'broker':
      return BROKER_URL;
    case 'rate-limit-store':
      return redisContainer(RATE_LIMIT_STORE).url;
    case 'jwt':
    case 'jwt-public-key':
      return required(secretKey(secret));
  }
}

function partEntry(part: Part, model: SystemModel): Record<string, unknown> {
  const dependsOn: Record<string, typeof healthy> = {};
  for (const s of part.databases) dependsOn[databaseContainerName(s)] = healthy;
  if (part.broker) dependsOn[BROKER] = healthy;
  if (part.settings.some((s) => s.name === 'CONSUL_URL')) dependsOn[CONSUL] = healthy;
  if (part.rateLimitStore) dependsOn[RATE_LIMIT_STORE] = healthy;
  if (part.kind === 'gateway') for (const s of routedServices(model)) dependsOn[s.name] = healthy;
  const published = part.kind === 'gateway' || part.aliases.includes(GATEWAY) ? [model.gateway.port] : [];
  return {
    build: { context: '.', dockerfile: dockerfilePath(part) },
    image: imageOf(model.name, part),
    // Your own settings; the ones below win over it.
    env_file: '.env',
    environment: Object.fromEntries(part.settings.map((s) => [s.name, valueOf(s)])),
    ...(part.aliases.length > 0 ? { networks: { default: { aliases: part.aliases } } } : {}),
    ...(published.length > 0 ? { ports: published.map((p) => `${p}:${p}`) } : {}),
    ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
    healthcheck: { test: ['CMD', 'node', '-e', healthScript(part)], ...HEALTH_TIMING },
    restart: 'unless-stopped',
    // Longer than SHUTDOWN_TIMEOUT_MS: the requests in flight finish before compose kills.
    stop_grace_period: '30s',
  };
}

/** Kong, DB-less, reading what decK rendered from gateway/kong.yml in the container before it. */
function kongEntries(model: SystemModel, upstreams: readonly string[]): Record<string, Record<string, unknown>> {
  const render = kongRendering(model);
  const port = model.gateway.port;
  return {
    [KONG_CONFIG]: {
      image: DECK_IMAGE,
      // Root only to write into the fresh volume; it renders one file and exits.
      user: 'root',
      entrypoint: ['/bin/sh', '-c'],
      command: [composeShell(render.script)],
      ...(render.settings.length > 0 ? { environment: Object.fromEntries(render.settings.map((s) => [s.name, valueOf(s)])) } : {}),
      volumes: [`./${KONG_FILE}:${KONG_TEMPLATE}:ro`, `${KONG_CONFIG}:${KONG_RENDERED_DIR}`],
    },
    [GATEWAY]: {
      image: KONG_IMAGE,
      environment: {
        KONG_DATABASE: 'off',
        KONG_DECLARATIVE_CONFIG: KONG_RENDERED,
        KONG_PROXY_LISTEN: `0.0.0.0:${port}`,
        KONG_ADMIN_LISTEN: 'off',
        KONG_STATUS_LISTEN: `0.0.0.0:${kongStatusPort(model)}`,
        KONG_NGINX_WORKER_PROCESSES: '2',
        KONG_PROXY_ACCESS_LOG: '/dev/stdout',
        KONG_PROXY_ERROR_LOG: '/dev/stderr',
      },
      volumes: [`${KONG_CONFIG}:${KONG_RENDERED_DIR}:ro`],
      ports: [`${port}:${port}`],
      depends_on: { [KONG_CONFIG]: { condition: 'service_completed_successfully' }, ...Object.fromEntries(upstreams.map((u) => [u, healthy])) },
      healthcheck: { test: ['CMD', 'kong', 'health'], ...HEALTH_TIMING },
      restart: 'unless-stopped',
    },
  };
}

/**
 * What docker-compose.yml takes from `.env`, with the placeholder `.env.example` gives: the
 * passwords of the containers it runs (and Kong's public key, for the user to fill in).
 */
export function composeVariables(model: SystemModel): { readonly name: string; readonly value: string }[] {
  if (!model.deploy.compose) return [];
  const text = JSON.stringify(composeDocument(model));
  const names = [...new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*):\?/g)].map((m) => m[1]))].sort();
  // The gateway's own section of .env.example has its secret already.
  return names.filter((name) => name !== model.gateway.jwt?.secretEnv).map((name) => ({ name, value: name === JWT_PUBLIC_KEY_VAR ? '' : 'local-only-change-me' }));
}

export function composeDocument(model: SystemModel): Record<string, unknown> {
  const parts = deployedParts(model, 'compose');
  const services: Record<string, Record<string, unknown>> = {};
  const volumes: Record<string, Record<string, never>> = {};
  for (const part of parts) services[part.name] = partEntry(part, model);
  const kong = kongGateway(model);
  if (kong) {
    const upstreams = model.deploy.mode === 'monolith' ? [MONOLITH] : routedServices(model).map((s) => s.name);
    Object.assign(services, kongEntries(model, upstreams));
    volumes[KONG_CONFIG] = {};
  }
  for (const s of model.services.filter((x) => x.features.database)) {
    const db = databaseContainer(s);
    services[db.name] = db.entry;
    volumes[`${db.name}-data`] = {};
  }
  if (parts.some((p) => p.rateLimitStore)) {
    services[RATE_LIMIT_STORE] = redisContainer(RATE_LIMIT_STORE).entry;
    volumes[`${RATE_LIMIT_STORE}-data`] = {};
  }
  if (parts.some((p) => p.broker)) {
    services[BROKER] = rabbitmq();
    volumes['rabbitmq-data'] = {};
  }
  if (parts.some((p) => p.settings.some((s) => s.name === 'CONSUL_URL'))) services[CONSUL] = consul();
  return { services, ...(Object.keys(volumes).length > 0 ? { volumes } : {}) };
}

export function composeFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  if (!model.deploy.compose) return [];
  const monolith = model.deploy.mode === 'monolith';
  const intro = [
    monolith
      ? `${model.name} as one process (deploy.mode: monolith): the "${MONOLITH}" container answers to every service's name; beside it, what the services need: their databases, the broker, the gateway.`
      : `${model.name}: each service from its own image (built from its Dockerfile), and what the services need beside them: their databases, the broker, the gateway.`,
    'Copy .env.example to .env first: the passwords and secrets below come from it, and every container reads it. Your changes go in docker-compose.override.yml, which compose merges in.',
    '  docker compose up --build',
  ].join('\n');
  // Created once, it must fit either mode: its example names a service.
  const first = model.services[0];
  return [
    {
      path: 'docker-compose.yml',
      owner: 'generated',
      key: 'deploy:compose',
      content: `${hashHeader(specPath)}${hashComment(intro)}${toPortableYaml(composeDocument(model))}`,
    },
    {
      path: 'docker-compose.override.yml',
      owner: 'scaffold',
      key: 'deploy:compose-override',
      content: render('deploy/compose-override.yml', { service: first?.name ?? 'user', port: first?.port ?? 8001, monolith: MONOLITH }),
    },
  ];
}
