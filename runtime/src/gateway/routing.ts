/**
 * How the gateway picks a route and rewrites the path (SPEC §2, as Kong does): the longest route
 * `path` that is a prefix of the request path on a segment boundary wins (`/api/users` matches
 * `/api/users` and `/api/users/7`, never `/api/usersx`), among the routes that allow the method;
 * `stripPath` removes the matched prefix, then `upstreamPath` is put in front, and a path in a
 * legacy upstream's URL goes before both. The query string is passed on untouched.
 */
import type { HttpMethod } from '../service/definition.js';

export interface RoutePattern {
  readonly path: string;
  /** Empty: every method. */
  readonly methods?: readonly HttpMethod[];
}

/** Characters RFC 3986 calls unreserved: their percent-encoded form means the same path. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Why a request path was refused before any route was looked at. */
export class BadPath extends Error {}

/**
 * The request path in the form routes are matched on and forwarded in, as Kong (nginx) sees it:
 * percent-encoded unreserved characters decoded and runs of slashes merged, so that neither
 * `/api/%75sers` nor `/api//users` slips past the route `/api/users` (and its auth) to a shorter
 * one. Other escapes are kept as sent; a malformed escape or a `.`/`..` segment is refused.
 */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) throw new BadPath(`the request target ${JSON.stringify(path.slice(0, 80))} is not an absolute path`);
  let out = path;
  if (path.includes('%')) {
    out = path.replace(/%(..)?/g, (escape: string, hex: string | undefined) => {
      if (hex === undefined || !/^[0-9A-Fa-f]{2}$/.test(hex)) throw new BadPath('the path has a malformed percent-encoding');
      const char = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    });
  }
  out = out.replace(/\/{2,}/g, '/');
  for (const segment of out.split('/')) {
    if (segment === '.' || segment === '..') throw new BadPath('the path has a "." or ".." segment');
  }
  return out;
}

/** `/api/users/` → `/api/users`; `/` → `` (the prefix every path has). */
const prefixOf = (path: string): string => path.replace(/\/+$/, '');

/** Whether `path` falls under the route's path on a segment boundary. */
export function underPrefix(path: string, routePath: string): boolean {
  const prefix = prefixOf(routePath);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Picks the route for a request: the longest matching path, then the first route (in spec
 * order) of that path that allows the method. Routes are compared by their paths once, here.
 */
export function routeMatcher<R extends RoutePattern>(routes: readonly R[]): (method: string, path: string) => R | undefined {
  const ordered = routes
    .map((route, index) => ({ route, index, prefix: prefixOf(route.path) }))
    .sort((a, b) => b.prefix.length - a.prefix.length || a.index - b.index);
  return (method, path) => {
    for (const { route } of ordered) {
      if (!underPrefix(path, route.path)) continue;
      if (route.methods && route.methods.length > 0 && !route.methods.includes(method as HttpMethod)) continue;
      return route;
    }
    return undefined;
  };
}

/** Appends `rest` (empty, or starting with `/`) to `base` without doubling the slash between them. */
function append(base: string, rest: string): string {
  if (rest === '') return base;
  return (base.endsWith('/') ? base.slice(0, -1) : base) + rest;
}

export interface Rewrite {
  readonly path: string;
  readonly stripPath: boolean;
  /** Default `/`. */
  readonly upstreamPath?: string;
}

/**
 * The path the upstream receives for a request `path` (already matched to `route`): the
 * upstream URL's own path (`/` for a service), then `upstreamPath`, then the request path —
 * without the route's prefix when `stripPath` is set. A trailing slash the client sent stays.
 *
 *     /api/users/7 through { path: /api/users, stripPath: true, upstreamPath: /users } → /users/7
 *     /api/users/7 through { path: /api/users, stripPath: false, upstreamPath: /v1 }   → /v1/api/users/7
 */
export function upstreamPath(route: Rewrite, path: string, basePath = '/'): string {
  const servicePath = append(basePath, route.upstreamPath && route.upstreamPath !== '/' ? route.upstreamPath : '');
  const rest = route.stripPath ? path.slice(prefixOf(route.path).length) : path;
  const forwarded = append(servicePath, rest);
  return forwarded === '' ? '/' : forwarded;
}
