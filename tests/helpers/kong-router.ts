/**
 * How Kong 3.9 routes an HTTP request through a declarative file, reimplemented from its source
 * so that what the generated routes do can be tested without Kong (which does not run here):
 * - router_flavor `traditional_compatible` (3.9's default): each route is split into one route
 *   per kind of path (all regexes; each length of prefix), `kong/router/transform.lua`
 *   `split_routes_and_services_by_path`; each gets the priority of `get_priority` (match weight:
 *   one per field given among methods, hosts, headers, snis, paths; then the regex bit, the
 *   regex priority, the prefix's length); the highest priority that matches wins. A regex path
 *   is anchored at the start (`^` is prefixed), a prefix path is a string prefix;
 * - the upstream path: `kong/router/utils.lua` `get_upstream_uri_v0` (the ATC router always
 *   uses it), with the route's matched prefix stripped when `strip_path` is set.
 * Two matching routes of equal priority are an error here: Kong would pick one at random.
 */
import type { KongFile, KongRouteEntry } from './kong-config.js';

const REGEX_URL_BIT = 1n << 51n;

interface Candidate {
  readonly service: string;
  readonly servicePath: string;
  readonly route: KongRouteEntry;
  readonly paths: readonly string[];
  readonly regex: boolean;
  readonly priority: bigint;
}

function candidates(kong: KongFile): Candidate[] {
  const out: Candidate[] = [];
  for (const service of kong.services ?? []) {
    const servicePath = new URL(service.url).pathname || '/';
    for (const route of service.routes ?? []) {
      const groups = new Map<string, string[]>();
      for (const p of route.paths) {
        const key = p.startsWith('~') ? 'regex' : `prefix:${p.length}`;
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      for (const [key, paths] of groups) {
        const regex = key === 'regex';
        const weight = BigInt((route.methods?.length ? 1 : 0) + 1);
        const length = regex ? 0n : BigInt(paths[0].length);
        const priority = (weight << 61n) | (regex ? REGEX_URL_BIT : 0n) | length;
        out.push({ service: service.name, servicePath, route, paths, regex, priority });
      }
    }
  }
  return out;
}

/** The part of `uri` a path matches, or undefined. */
function matchPath(path: string, regex: boolean, uri: string): string | undefined {
  if (regex) return new RegExp(`^${path.slice(1)}`).exec(uri)?.[0];
  return uri.startsWith(path) ? path : undefined;
}

/** `sanitize_uri_postfix`. */
function sanitize(postfix: string): string {
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}

/** `get_upstream_uri_v0`. */
export function upstreamUriV0(stripPath: boolean, postfix: string, reqUri: string, base: string): string {
  if (base.endsWith('/')) {
    if (stripPath) {
      if (postfix === '') {
        if (base === '/') return '/';
        if (reqUri.endsWith('/')) return base;
        return base.slice(0, -1);
      }
      if (postfix.startsWith('/')) return base.slice(0, -1) + postfix;
      return base + postfix;
    }
    return base + reqUri.slice(1);
  }
  if (stripPath) {
    if (postfix === '') return reqUri.length > 1 && reqUri.endsWith('/') ? `${base}/` : base;
    if (postfix.startsWith('/')) return base + postfix;
    return `${base}/${postfix}`;
  }
  if (reqUri === '/') return base;
  return base + reqUri;
}

export interface KongMatch {
  readonly service: string;
  readonly route: string;
  /** The path Kong sends upstream. */
  readonly upstreamPath: string;
}

/** The route Kong picks for `method uri` and the path it forwards, or undefined (404). */
export function kongRoute(kong: KongFile, method: string, uri: string): KongMatch | undefined {
  let best: { candidate: Candidate; matched: string } | undefined;
  let tie = false;
  for (const c of candidates(kong)) {
    if (c.route.methods?.length && !c.route.methods.includes(method)) continue;
    const matched = c.paths.map((p) => matchPath(p, c.regex, uri)).find((m) => m !== undefined);
    if (matched === undefined) continue;
    if (!best || c.priority > best.candidate.priority) {
      best = { candidate: c, matched };
      tie = false;
    } else if (c.priority === best.candidate.priority && c.route !== best.candidate.route) tie = true;
  }
  if (!best) return undefined;
  if (tie) throw new Error(`${method} ${uri}: two routes of equal priority match; Kong would pick either`);
  const { candidate, matched } = best;
  const strip = candidate.route.strip_path ?? true;
  const prefix = strip ? matched : '/';
  const postfix = sanitize(uri.slice(prefix.length));
  return { service: candidate.service, route: candidate.route.name, upstreamPath: upstreamUriV0(strip, postfix, uri, candidate.servicePath) };
}
