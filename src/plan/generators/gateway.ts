/**
 * The Node gateway, generated for every spec (a spec without a `gateway` block gets one with no
 * routes; `microgen dev` always runs it): a workspace package whose generated `gateway.ts` hands
 * the spec's routes and settings to the runtime's `defineGateway`, a user-owned two-line
 * `main.ts`, and with an HS256 secret a `token.ts` that signs a token for trying it locally.
 */
import type { Gateway, Route, SystemModel } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { routedServices } from '../deploy/parts.js';
import { tsLiteral } from '../../render/ts-literal.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { packageJsonFile } from '../package-json.js';
import type { PlannedFile } from '../tree.js';
import { deps, type Dependency } from '../versions.js';
import { GATEWAY_PACKAGE_DIR, packageName } from '../workspaces.js';

const gatewayPath = (path: string): string => `${GATEWAY_PACKAGE_DIR}/${path}`;

/** What the gateway package needs installed; Redis only when counts are shared there. */
export function gatewayDependencies(gateway: Gateway): Record<string, string> {
  const redis: Dependency[] = gateway.rateLimitStore === 'redis' ? ['ioredis'] : [];
  return deps('@microgen/runtime', '@fastify/cors', '@fastify/rate-limit', '@fastify/reply-from', 'jose', ...redis);
}

/** Whether `npm run token` can sign tokens (an HS256 secret, not a JWKS). */
export const signsLocalTokens = (gateway: Gateway): boolean => gateway.jwt?.secretEnv !== undefined;

/** A route as `defineGateway` takes it: only what differs from nothing is written out. */
function routeLiteral(route: Route) {
  return {
    path: route.path,
    ...(route.service !== undefined ? { service: route.service } : { upstream: route.upstream }),
    stripPath: route.stripPath,
    upstreamPath: route.upstreamPath,
    ...(route.methods.length > 0 ? { methods: route.methods } : {}),
    auth: route.auth,
    ...(route.rateLimit ? { rateLimit: route.rateLimit } : {}),
    timeoutMs: route.timeoutMs,
  };
}

/** The definition `gateway.ts` passes to `defineGateway`, as data. */
export function gatewayDefinition(model: SystemModel) {
  const { gateway } = model;
  return {
    system: model.name,
    port: gateway.port,
    discovery: model.discovery,
    services: Object.fromEntries(routedServices(model).map((s) => [s.name, s.port])),
    ...(gateway.jwt ? { jwt: gateway.jwt } : {}),
    rateLimitStore: gateway.rateLimitStore,
    ...(gateway.cors ? { cors: gateway.cors } : {}),
    routes: gateway.routes.map(routeLiteral),
  };
}

export function gatewayFiles(ctx: GenerateContext): PlannedFile[] {
  const { model, specPath } = ctx;
  const header = tsHeader(specPath, 'src/main.ts').trimEnd();
  const token = signsLocalTokens(model.gateway);
  const packageJson = {
    name: packageName(model, 'gateway'),
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'dist/main.js',
    // What the system package (every service and the gateway in one process) imports.
    exports: { './gateway': { types: './dist/generated/gateway.d.ts', default: './dist/generated/gateway.js' } },
    scripts: { build: 'tsc -b', start: 'node dist/main.js', ...(token ? { token: 'node dist/generated/token.js' } : {}) },
    dependencies: gatewayDependencies(model.gateway),
  };
  const generated = (path: string, what: string, content: string): PlannedFile => ({ path: gatewayPath(path), owner: 'generated', key: `gateway:${what}`, content });
  return [
    packageJsonFile(gatewayPath('package.json'), 'gateway:package-json', packageJson),
    generated('tsconfig.json', 'tsconfig', render('gateway/tsconfig.json', { header: header.split('\n')[0].slice(3) })),
    generated('src/generated/gateway.ts', 'gateway', render('gateway/gateway.ts', { header, system: model.name, definition: tsLiteral(gatewayDefinition(model)) })),
    ...(token ? [generated('src/generated/token.ts', 'token', render('gateway/token.ts', { header, secretEnv: model.gateway.jwt!.secretEnv }))] : []),
    { path: gatewayPath('src/main.ts'), owner: 'scaffold', key: 'gateway:main', content: render('gateway/main.ts', {}) },
  ];
}
