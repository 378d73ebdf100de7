/**
 * Gateway routes: `route-conflict` (two routes claiming one path for a shared method) and
 * `route-unreachable` (no operation of the service can be reached through the route).
 * Routing follows Kong: the longest `path` prefix matches; `stripPath` removes it, then
 * `upstreamPath` is put in front.
 */
import type { HttpMethod, Operation, Route, SystemModel } from '../model/types.js';
import { error, warning, type Finding } from './finding.js';

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
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
export function reachableUnder(prefix: string, op: Operation): boolean {
  const want = segments(prefix);
  const have = segments(op.path);
  if (want.length > have.length) return false;
  return want.every((seg, i) => have[i] === seg || /^\{[^}]+\}$/.test(have[i]));
}

export function checkRouteConflicts(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const routes = model.gateway.routes;
  routes.forEach((r, i) => {
    for (const earlier of routes.slice(0, i)) {
      if (earlier.path !== r.path) continue;
      const shared = methodsOf(r).filter((m) => methodsOf(earlier).includes(m));
      if (shared.length) {
        const which = shared.length === ALL_METHODS.length ? 'every method' : shared.join(', ');
        out.push(error('route-conflict', [...r.at, 'path'], `route ${r.path} (${which}) is already claimed by an earlier route to service ${earlier.service}`));
        break;
      }
    }
  });
  return out;
}

export function checkRouteReachability(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  const services = new Map(model.services.map((s) => [s.name, s]));
  for (const r of model.gateway.routes) {
    const service = services.get(r.service);
    if (!service) continue; // unknown-service says it
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
