/** The npm-workspaces root: package.json, tsconfig files, .gitignore, .env.example, README. */
import { queueAddress } from '../../export/asyncapi.js';
import { upstreamPrefix } from '../../checks/routes.js';
import { camelCase, pascalCase } from '../../model/names.js';
import type { SystemModel } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { packageJsonFile } from '../package-json.js';
import { jsonFile } from '../header.js';
import { HEADER_TEXT, type PlannedFile } from '../tree.js';
import { deps, OVERRIDES } from '../versions.js';
import { defaultDatabaseUrl } from '../databases.js';
import { RUNTIME_PACKAGE_DIR, typeScriptProjects, workspacePackages } from '../workspaces.js';
import { deployView } from '../deploy/readme.js';
import { composeVariables } from './compose.js';
import { uniqueHandlers } from './events.js';
import { serviceNamed } from '../../model/lookup.js';

/** Where `rateLimitStore: redis` counts when `GATEWAY_REDIS_URL` says nothing else (the runtime's default). */
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** Where services find the Consul agent when `CONSUL_URL` says nothing else. */
export const DEFAULT_CONSUL_URL = 'http://127.0.0.1:8500';

/**
 * An npm script that runs the microgen CLI. microgen is not on the npm registry, so it is not a
 * dependency here: the script finds it on PATH, or says in one line how to put it there.
 */
function microgenScript(command: string): string {
  const missing = 'microgen is not on PATH: run `npm ci && npm run build && npm link` in a microgen checkout (see its README)';
  return `command -v microgen >/dev/null || { echo '${missing}' >&2; exit 127; }; microgen ${command}`;
}

/** One operation (and one call, if any) that the README uses in its examples. */
function readmeExample(model: SystemModel) {
  const service = model.services.find((s) => s.operations.length > 0);
  const op = service?.operations.find((o) => o.method === 'GET') ?? service?.operations[0];
  const caller = model.services.find((s) => s.calls.some((c) => c.operations.length > 0));
  const call = caller?.calls.find((c) => c.operations.length > 0);
  return {
    operation:
      service && op
        ? { service: service.name, port: service.port, name: op.name, typeName: pascalCase(op.name), method: op.method, path: op.path.replace(/\{[^}]+\}/g, '1') }
        : undefined,
    call: caller && call ? { caller: caller.name, callee: call.service, property: camelCase(call.service), operation: call.operations[0] } : undefined,
  };
}

/**
 * The system's events as the README and the `dlq` script see them: what each service publishes,
 * its subscription queues (`<service>.<handler>`, the runtime's names) with their patterns.
 */
function eventsView(model: SystemModel) {
  const services = model.services
    .filter((s) => s.features.publishes || s.features.subscribes)
    .map((s) => {
      const handlers = uniqueHandlers(model, s);
      return {
        name: s.name,
        publishes: [...new Set(s.publishes.map((p) => p.event))],
        queueNames: handlers.map((h) => queueAddress(s.name, h.name)),
        queues: handlers.map((h) => `\`${queueAddress(s.name, h.name)}\` ← ${h.patterns.map((p) => `\`${p}\``).join(', ')}`),
        dedupe: s.features.subscribes ? (s.database === 'postgres' ? 'inbox table' : 'in-memory window') : '—',
      };
    });
  if (services.length === 0) return undefined;
  const queues = services.flatMap((s) => s.queueNames);
  const topology = model.services.flatMap((s) =>
    uniqueHandlers(model, s).map((h) => ({ queue: queueAddress(s.name, h.name), service: s.name, handler: h.name, patterns: h.patterns, dead: `${queueAddress(s.name, h.name)}.dead` })),
  );
  return { exchange: model.broker.exchange, services, queues, firstQueue: queues[0], topology };
}

/** What the .env.example and README say about the gateway. */
function gatewayView(model: SystemModel) {
  const { gateway } = model;
  return {
    port: gateway.port,
    secretEnv: gateway.jwt?.secretEnv,
    jwksUrl: gateway.jwt?.jwksUrl,
    issuer: gateway.jwt?.issuer,
    audience: gateway.jwt?.audience,
    redis: gateway.rateLimitStore === 'redis',
    redisUrl: DEFAULT_REDIS_URL,
    routes: gateway.routes.map((r) => ({
      path: r.path,
      to: r.service ?? r.upstream,
      legacy: r.upstream !== undefined,
      strip: r.stripPath ? 'yes' : 'no',
      upstreamPath: r.upstreamPath,
      methods: r.methods.length > 0 ? r.methods.join(', ') : 'all',
      auth: r.auth,
      rateLimit: r.rateLimit ? Object.entries(r.rateLimit).map(([w, n]) => `${n}/${w}`).join(', ') : '—',
      timeout: `${r.timeoutMs} ms`,
    })),
    open: gatewayExample(model, 'none'),
    guarded: gatewayExample(model, 'jwt'),
  };
}

/** A GET through the gateway that reaches an operation through a route with `auth`, for the README. */
function gatewayExample(model: SystemModel, auth: 'jwt' | 'none'): string | undefined {
  for (const route of model.gateway.routes.filter((r) => r.auth === auth)) {
    const service = route.service !== undefined ? serviceNamed(model, route.service) : undefined;
    if (!service || (route.methods.length > 0 && !route.methods.includes('GET'))) continue;
    const prefix = upstreamPrefix(route).replace(/\/$/, '');
    for (const op of service.operations) {
      const path = op.path.replace(/\{[^}]+\}/g, '1');
      if (op.method !== 'GET' || (path !== prefix && !path.startsWith(`${prefix}/`))) continue;
      return `${route.path.replace(/\/$/, '')}${path.slice(prefix.length)}` || '/';
    }
  }
  return undefined;
}

export function workspaceFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const header = `${HEADER_TEXT}. Source: ${specPath}.`;
  const events = eventsView(model);
  const packageJson = {
    name: model.name,
    private: true,
    type: 'module',
    workspaces: workspacePackages(model),
    scripts: {
      build: 'tsc -b',
      clean: 'tsc -b --clean',
      generate: microgenScript('generate'),
      check: microgenScript('check'),
      // Dead letters of the subscriptions (listed in events.json) on the broker: `npm run dlq -- list|retry [queue]`.
      ...(events && events.queues.length > 0 ? { dlq: `node ${RUNTIME_PACKAGE_DIR}/dist/events/dlq.js --topology events.json` } : {}),
    },
    // The embedded PostgreSQL of `microgen dev`, for systems that have a PostgreSQL service.
    devDependencies: deps('typescript', '@types/node', ...(model.services.some((s) => s.database === 'postgres') ? (['@electric-sql/pglite'] as const) : [])),
    overrides: OVERRIDES,
  };
  const services = model.services.map((s) => ({
    name: s.name,
    port: s.port,
    database: s.database,
    operationCount: s.operations.length,
    calls: s.clients.map((c) => c.service),
  }));
  const databases = model.services.flatMap((s) => {
    const url = defaultDatabaseUrl(s);
    return url ? [{ name: s.name, url }] : [];
  });
  const consul = model.discovery === 'consul';
  const topology = events && {
    '//': `${header} What the runtime declares on the broker, for \`npm run dlq\`.`,
    exchange: events.exchange,
    queues: events.topology,
  };
  const gateway = gatewayView(model);
  return [
    packageJsonFile('package.json', 'workspace:package-json', packageJson),
    ...(topology && events.queues.length > 0 ? [{ path: 'events.json', owner: 'generated' as const, key: 'workspace:events', content: jsonFile(topology) }] : []),
    { path: 'tsconfig.base.json', owner: 'generated', key: 'workspace:tsconfig-base', content: render('workspace/tsconfig.base.json', { header }) },
    { path: 'tsconfig.json', owner: 'generated', key: 'workspace:tsconfig', content: render('workspace/tsconfig.json', { header, projects: typeScriptProjects(model) }) },
    { path: '.gitignore', owner: 'generated', key: 'workspace:gitignore', content: render('workspace/gitignore', { header }) },
    {
      path: '.env.example',
      owner: 'generated',
      key: 'workspace:env-example',
      content: render('workspace/env.example', { header, services, databases, consul, consulUrl: DEFAULT_CONSUL_URL, events, gateway, compose: composeVariables(model) }),
    },
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
        databases,
        consul,
        consulUrl: DEFAULT_CONSUL_URL,
        events,
        firstService: model.services[0]?.name ?? '<name>',
        example: readmeExample(model),
        kong: model.gateway.kind === 'kong',
        gateway,
        deploy: deployView(model),
      }),
    },
  ];
}
