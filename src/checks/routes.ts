/**
 * Gateway routes: `route-conflict` (two routes claiming one path for a shared method),
 * `route-unreachable` (no operation of the service can be reached through the route),
 * `upstream-url` (a route to a system outside the spec names no usable http(s) URL) and
 * `route-auth` (a route asks for `auth: jwt` but the gateway has no `auth.jwt` to check tokens with).
 * Routing follows Kong: the longest `path` prefix matches; `stripPath` removes it, then
 * `upstreamPath` is put in front.
 */
import type { HttpMethod, Operation, Route, SystemModel } from '../model/types.js';
import { error, warning, type Finding } from './finding.js';

export const ALL_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const methodsOf = (r: Route): readonly HttpMethod[] => (r.methods.length ? r.methods : ALL_METHODS);

/** Join URL paths without doubling or losing the slash between them. */
export function joinPaths(a: string, b: string): string {
  const left = a.endsWith('/') ? a.slice(0, -1) : a;
  const right = b === '' || b === '/' ? '' : b.startsWith('/') ? b : `/${b}`;
  return left + right || '/';
}

/** The upstream path prefix a route forwards to: what every forwarded path starts with. */
export function upstreamPrefix(route: Route): string {
  return route.stripPath ? joinPaths(route.upstreamPath, '') : joinPaths(route.upstreamPath, route.path);
}

const segments = (path: string): string[] => path.split('/').filter(Boolean);

/** Can a request forwarded under `prefix` reach the operation's path template? */
export function reachableUnder(prefix: string, op: Pick<Operation, 'path'>): boolean {
  const want = segments(prefix);
  const have = segments(op.path);
  if (want.length > have.length) return false;
  return want.every((seg, i) => have[i] === seg || /^\{[^}]+\}$/.test(have[i]));
}

/** Where a route goes, in words: `service user` or `http://legacy:8080`. */
export const routeTarget = (r: Route): string => (r.service !== undefined ? `service ${r.service}` : `${r.upstream}`);

export function checkRouteConflicts(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const earlierAt = new Map<string, Route[]>();
  for (const r of model.gateway.routes) {
    const earlierRoutes = earlierAt.get(r.path) ?? [];
    earlierAt.set(r.path, [...earlierRoutes, r]);
    for (const earlier of earlierRoutes) {
      const shared = methodsOf(r).filter((m) => methodsOf(earlier).includes(m));
      if (shared.length) {
        const which = shared.length === ALL_METHODS.length ? 'every method' : shared.join(', ');
        out.push(error('route-conflict', [...r.at, 'path'], `route ${r.path} (${which}) is already claimed by an earlier route to ${routeTarget(earlier)}`));
        break;
      }
    }
  }
  return out;
}

export function checkRouteReachability(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const services = new Map(model.services.map((s) => [s.name, s]));
  for (const r of model.gateway.routes) {
    // unknown-service speaks of undeclared services; a legacy upstream's paths are not in the spec.
    const service = r.service !== undefined ? services.get(r.service) : undefined;
    if (!service) continue;
    const prefix = upstreamPrefix(r);
    const methods = methodsOf(r);
    const reachable = service.operations.some((op) => methods.includes(op.method) && reachableUnder(prefix, op));
    if (!reachable) {
      const how = r.stripPath ? `forwards ${r.path}/… as ${prefix}…` : `forwards ${r.path}/… unchanged${r.upstreamPath !== '/' ? ` under ${r.upstreamPath}` : ''}`;
      // Name the methods when the route restricts them: without it "route /users forwards /users/… unchanged"
      // looked reachable when only the `methods` list was wrong.
      const only = r.methods.length ? ` (${r.methods.join(', ')} only)` : '';
      out.push(warning('route-unreachable', [...r.at, 'path'], `route ${r.path}${only} ${how}, which reaches no operation of service ${r.service}`));
    }
  }
  return out;
}

/** A legacy upstream must be an absolute http(s) URL with a host, and nothing a gateway cannot put in front of a path. */
export function checkUpstreamUrls(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  for (const r of model.gateway.routes) {
    if (r.upstream === undefined) continue;
    let problem: string | undefined;
    try {
      const url = new URL(r.upstream);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') problem = `its scheme is ${url.protocol.slice(0, -1)}, not http or https`;
      else if (!url.hostname) problem = 'it names no host';
      else if (url.username || url.password) problem = 'it carries credentials (put them in the legacy system, not the spec)';
      else if (url.search || url.hash) problem = 'it has a query or a fragment, which a gateway cannot put in front of a path';
    } catch {
      problem = 'it is not a URL';
    }
    if (problem) out.push(error('upstream-url', [...r.at, 'upstream'], `route ${r.path} forwards to ${JSON.stringify(r.upstream)}, but ${problem}`));
  }
  return out;
}

/**
 * `auth: jwt` needs `gateway.auth.jwt`: without it the Node gateway refuses to start and Kong
 * refuses every token on the route. (It is the default only when the gateway has `auth.jwt`, so
 * the route says `auth: jwt` itself.)
 */
export function checkRouteAuth(model: SystemModel): Finding[] {
  if (model.gateway.jwt !== undefined) return [];
  return model.gateway.routes
    .filter((r) => r.auth === 'jwt')
    .map((r) =>
      error('route-auth', [...r.at, 'auth'], `route ${r.path} asks for auth: jwt, but gateway.auth.jwt is not configured, so the gateway cannot check tokens: add gateway.auth.jwt (secretEnv or jwksUrl), or set auth: none`),
    );
}
