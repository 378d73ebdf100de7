/**
 * gateway/kong.yml (`gateway.kind: kong`): Kong 3.9's declarative configuration
 * (`_format_version: "3.0"`, DB-less), the same routes the Node gateway serves. docs/gateway.md
 * ("Kong") says what each choice here is for and what is checked without running Kong.
 *
 * - One Kong service per (upstream URL and path, timeout): a spec service's in-cluster URL
 *   `http://<service>:<port>` (its DNS name in docker-compose and Kubernetes) or a legacy
 *   `upstream`, with `upstreamPath` as the service path; routes that share a service but not a
 *   timeout get one Kong service each, since Kong's timeouts belong to the service.
 * - Kong 3 matches a plain path as a string prefix (`/api/users` would take `/api/usersx`), so a
 *   route gets two paths: the anchored regex `~/api/users$` and the prefix `/api/users/`. Every
 *   route lists its methods, so that under 3.9's default `router_flavor = traditional_compatible`
 *   no route outranks another for having them, and the longest path wins as SPEC §2 says.
 * - The JWT secret never appears: the file is a decK state file whose `${{ env `DECK_…` }}` must be
 *   rendered before Kong reads it (Kong 3.9 resolves no `{vault://…}` reference in `jwt_secrets`,
 *   it would take the text as the secret). Text from the spec that could open a decK template is
 *   escaped.
 */
import { Document, isScalar, visit } from 'yaml';
import { ALL_METHODS, joinPaths } from '../../checks/routes.js';
import type { Gateway, HttpMethod, RateLimit, Route, SystemModel } from '../../model/types.js';
import type { GenerateContext } from '../context.js';
import { hashHeader } from '../header.js';
import type { PlannedFile } from '../tree.js';

/** The image the configuration is written for (the last open-source Kong line). */
export const KONG_IMAGE = 'kong:3.9';
export const KONG_FILE = 'gateway/kong.yml';

/** decK renders `${{ … }}` over the whole file (Go's text/template) before it parses the YAML. */
const TEMPLATE_OPEN = '${{';
const envTemplate = (name: string): string => `${TEMPLATE_OPEN} env \`${name}\` }}`;
/** Spec text that contains `${{` would be a template action: make decK print it as it is. */
const literal = (text: string): string => text.split(TEMPLATE_OPEN).join(`${TEMPLATE_OPEN} \`${TEMPLATE_OPEN}\` }}`);

/** The PEM public key decK puts in place of a JWKS, which Kong's open-source jwt plugin cannot fetch. */
export const JWT_PUBLIC_KEY_VAR = 'DECK_JWT_PUBLIC_KEY';
/** The decK variable holding the base64 of the HS256 secret that `secretEnv` names. */
export const jwtSecretVar = (secretEnv: string): string => `DECK_${secretEnv}`;

/** Kong's timeouts are integers of milliseconds between 1 and 2^31 - 2. */
const kongTimeout = (ms: number): number => Math.min(Math.max(Math.round(ms), 1), 2 ** 31 - 2);

export interface KongPlugin {
  readonly name: string;
  readonly config: Record<string, unknown>;
}

export interface KongRoute {
  readonly name: string;
  readonly paths: readonly string[];
  readonly methods: readonly HttpMethod[];
  readonly strip_path: boolean;
  readonly preserve_host: false;
  readonly request_buffering: false;
  readonly response_buffering: false;
  readonly plugins?: readonly KongPlugin[];
}

export interface KongService {
  readonly name: string;
  readonly url: string;
  readonly connect_timeout: number;
  readonly read_timeout: number;
  readonly write_timeout: number;
  readonly retries: number;
  readonly routes: KongRoute[];
}

export interface KongConsumer {
  readonly username: string;
  readonly jwt_secrets: readonly { readonly key: string; readonly algorithm: 'HS256' | 'RS256'; readonly secret?: string; readonly rsa_public_key?: string }[];
}

export interface KongConfig {
  readonly _format_version: '3.0';
  readonly services: KongService[];
  readonly consumers?: KongConsumer[];
  readonly plugins: KongPlugin[];
}

/**
 * The paths of a route that match whole segments: the path itself (an anchored regex, its
 * metacharacters escaped) and everything below it (a prefix ending in `/`). `/` matches all.
 */
export function kongPaths(path: string): string[] {
  if (path === '/') return ['/'];
  return [`~${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, `${path}/`];
}

/**
 * The methods of each route: the spec's, or all it knows. With CORS, a path no route takes
 * OPTIONS on gets it on its first route: Kong answers a preflight only on a route that matched
 * it (its cors plugin runs before jwt and rate-limiting), and one route per path keeps the
 * choice Kong makes for an OPTIONS request certain.
 */
function routeMethods(routes: readonly Route[], cors: boolean): Map<Route, HttpMethod[]> {
  const out = new Map(routes.map((r) => [r, r.methods.length ? [...r.methods] : [...ALL_METHODS]]));
  if (!cors) return out;
  const answered = new Set(routes.filter((r) => out.get(r)!.includes('OPTIONS')).map((r) => r.path));
  for (const r of routes) {
    if (answered.has(r.path)) continue;
    out.get(r)!.push('OPTIONS');
    answered.add(r.path);
  }
  return out;
}

/** `route-3-api-users`: the spec's route number keeps names unique, the path keeps them readable. */
function routeName(route: Route, index: number): string {
  const slug = route.path.slice(1).replace(/\//g, '-').slice(0, 60);
  return slug ? `route-${index + 1}-${slug}` : `route-${index + 1}`;
}

/** What a route forwards to: the base URL (no path) and the name its Kong service is known by. */
interface Target {
  readonly base: string;
  readonly path: string;
  readonly name: string;
}

/**
 * Spec services by their DNS name and port; legacy upstreams as `legacy_<n>` (a name no spec
 * service can have), in the order routes name them. The upstream's own path comes first, then
 * `upstreamPath` (docs/spec.md, Gateway).
 */
function targetsOf(model: SystemModel): Map<Route, Target> {
  const ports = new Map(model.services.map((s) => [s.name, s.port]));
  const legacy = new Map<string, string>();
  const out = new Map<Route, Target>();
  for (const route of model.gateway.routes) {
    if (route.service !== undefined) {
      const port = ports.get(route.service);
      if (port !== undefined) out.set(route, { base: `http://${route.service}:${port}`, path: route.upstreamPath, name: route.service });
    } else if (route.upstream !== undefined) {
      const url = new URL(route.upstream);
      if (!legacy.has(url.origin)) legacy.set(url.origin, `legacy_${legacy.size + 1}`);
      out.set(route, { base: url.origin, path: joinPaths(url.pathname, route.upstreamPath), name: legacy.get(url.origin)! });
    }
  }
  return out;
}

const PERIODS = ['second', 'minute', 'hour'] as const;

/**
 * Kong refuses a limit for a period that is higher than a longer period's (`second: 100,
 * minute: 10`); such a limit can never bind, since a second's requests are a part of its
 * minute's, so it is left out.
 */
export function kongLimits(limit: RateLimit): RateLimit {
  const out: { -readonly [P in keyof RateLimit]: RateLimit[P] } = {};
  PERIODS.forEach((period, i) => {
    const value = limit[period];
    if (value !== undefined && !PERIODS.slice(i + 1).some((longer) => (limit[longer] ?? Infinity) < value)) out[period] = value;
  });
  return out;
}

function rateLimiting(limit: RateLimit): KongPlugin {
  // limit_by ip: Kong's consumer here is the token's issuer, which every caller shares.
  return { name: 'rate-limiting', config: { ...kongLimits(limit), policy: 'local', limit_by: 'ip' } };
}

function jwtPlugin(gateway: Gateway): KongPlugin {
  return {
    name: 'jwt',
    config: {
      key_claim_name: 'iss',
      // A claim listed here is required; Kong checks no `nbf` it does not require, nor `aud`.
      claims_to_verify: ['exp'],
      header_names: ['authorization'],
      uri_param_names: [],
      cookie_names: [],
      // The HS256 secret is rendered as base64: an unrendered template is no base64, so Kong
      // rejects every token rather than accept ones signed with the template's text.
      secret_is_base64: gateway.jwt?.secretEnv !== undefined,
    },
  };
}

function consumersOf(model: SystemModel): KongConsumer[] {
  const jwt = model.gateway.jwt;
  if (!jwt || !model.gateway.routes.some((r) => r.auth === 'jwt')) return [];
  const issuer = literal(jwt.issuer ?? model.name);
  const credential =
    jwt.secretEnv !== undefined
      ? { key: issuer, algorithm: 'HS256' as const, secret: envTemplate(jwtSecretVar(jwt.secretEnv)) }
      : // Kong uses no secret for RS256; decK asks for one, and the public key is no secret.
        { key: issuer, algorithm: 'RS256' as const, secret: envTemplate(JWT_PUBLIC_KEY_VAR), rsa_public_key: envTemplate(JWT_PUBLIC_KEY_VAR) };
  return [{ username: issuer, jwt_secrets: [credential] }];
}

/** The whole configuration, as data: a pure function of the model. */
export function kongConfig(model: SystemModel): KongConfig {
  const { gateway } = model;
  const targets = targetsOf(model);
  const methods = routeMethods(gateway.routes, gateway.cors !== undefined);
  const services = new Map<string, KongService>();
  const namesTaken = new Map<string, number>();
  gateway.routes.forEach((route, index) => {
    const target = targets.get(route);
    if (!target) return;
    const timeout = kongTimeout(route.timeoutMs);
    const url = target.path === '/' ? target.base : `${target.base}${target.path}`;
    const key = `${url} ${timeout}`;
    let service = services.get(key);
    if (!service) {
      // A second URL path or timeout for one target is a second Kong service: `user.2`.
      const count = (namesTaken.get(target.name) ?? 0) + 1;
      namesTaken.set(target.name, count);
      const name = count === 1 ? target.name : `${target.name}.${count}`;
      service = { name, url, connect_timeout: timeout, read_timeout: timeout, write_timeout: timeout, retries: 0, routes: [] };
      services.set(key, service);
    }
    const plugins = [...(route.auth === 'jwt' ? [jwtPlugin(gateway)] : []), ...(route.rateLimit ? [rateLimiting(route.rateLimit)] : [])];
    service.routes.push({
      name: routeName(route, index),
      paths: kongPaths(route.path),
      methods: methods.get(route)!,
      strip_path: route.stripPath,
      preserve_host: false,
      request_buffering: false,
      response_buffering: false,
      ...(plugins.length ? { plugins } : {}),
    });
  });

  const plugins: KongPlugin[] = [{ name: 'correlation-id', config: { header_name: 'x-request-id', generator: 'uuid', echo_downstream: true } }];
  if (gateway.cors) {
    plugins.push({
      name: 'cors',
      config: { origins: gateway.cors.origins.map(kongOrigin), methods: [...gateway.cors.methods], credentials: false, preflight_continue: false },
    });
  }
  const consumers = consumersOf(model);
  return { _format_version: '3.0', services: [...services.values()], ...(consumers.length ? { consumers } : {}), plugins };
}

/**
 * Kong's cors plugin compares an origin of letters, digits and `.:/-` as it is and reads any
 * other as a regular expression (anchored); the spec's origins are literal, so such an origin
 * is escaped into the regular expression that matches exactly it.
 */
export function kongOrigin(origin: string): string {
  if (origin === '*' || /^[A-Za-z0-9.:/-]+$/.test(origin)) return origin;
  return literal(origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** The comment at the top of the file: how to run it, and what Kong does differently. */
function headerComment(model: SystemModel): string[] {
  const { gateway } = model;
  const lines = [
    `Kong 3.9 (image ${KONG_IMAGE}) declarative configuration, DB-less: KONG_DATABASE=off and`,
    'KONG_DECLARATIVE_CONFIG naming this file once rendered by decK (`deck file render`).',
    'Services are reached by name, as in docker-compose and Kubernetes, where a service\'s DNS',
    'name is its name. A route matches whole path segments: `~/api/users$` is its path and',
    '`/api/users/` what lies below it; every route lists its methods, so the longest path wins.',
    'A route\'s timeout is its service\'s, with no retries, so a slow upstream is a 504 in that time.',
  ];
  const jwt = gateway.jwt;
  if (jwt && gateway.routes.some((r) => r.auth === 'jwt')) {
    if (jwt.secretEnv !== undefined) {
      const name = jwtSecretVar(jwt.secretEnv);
      lines.push(
        'The HS256 secret is not in this file: decK 1.36 or later renders it in from',
        `${name}, the base64 of the secret (${jwt.secretEnv} to the Node gateway):`,
        `  ${name}="$(printf %s "$${jwt.secretEnv}" | base64 -w0)" \\`,
        '    deck file render --populate-env-vars kong.yml -o kong.rendered.yml',
      );
    } else {
      lines.push(
        'Kong\'s open-source jwt plugin cannot fetch a JWKS: it checks RS256 tokens against one public',
        `key, which decK 1.36 or later puts in from ${JWT_PUBLIC_KEY_VAR} (PEM, line breaks as \\n):`,
        `  ${JWT_PUBLIC_KEY_VAR}="$(awk '{printf "%s\\\\n", $0}' public.pem)" \\`,
        '    deck file render --populate-env-vars kong.yml -o kong.rendered.yml',
        'The credential\'s secret repeats the key: Kong reads none for RS256, decK wants one.',
      );
    }
    if (jwt.issuer === undefined) lines.push(`Kong finds the key by the token's iss: tokens must carry iss "${model.name}".`);
    lines.push('Tokens must carry exp; Kong checks neither nbf nor aud.');
  } else if (gateway.routes.some((r) => r.auth === 'jwt')) {
    lines.push('gateway.auth.jwt names no secret or key: Kong refuses every token on routes with auth jwt.');
  }
  return lines;
}

/** The file's text: header, comment and the configuration as YAML. */
export function kongYaml(model: SystemModel, specPath: string): string {
  const doc = new Document(kongConfig(model), { version: '1.1' });
  // decK must see its templates intact: a double-quoted string keeps the backticks, and a
  // rendered value (base64, or a PEM with \n) reads back the same.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes(TEMPLATE_OPEN)) node.type = 'QUOTE_DOUBLE';
    },
    // Lists of words (paths, methods, claims) on one line, as people write them.
    Seq(_, node) {
      if (node.items.every(isScalar)) node.flow = true;
    },
  });
  const comment = headerComment(model)
    .map((line) => `# ${line}\n`)
    .join('');
  // YAML 1.1 quoting (Kong's and decK's parsers read `on` and `1:20` as a boolean and a number).
  return literal(hashHeader(specPath)) + comment + doc.toString({ lineWidth: 0, flowCollectionPadding: false, directives: false });
}

export function kongFiles(ctx: GenerateContext): PlannedFile[] {
  if (ctx.model.gateway.kind !== 'kong') return [];
  return [{ path: KONG_FILE, owner: 'generated', key: 'gateway:kong', content: kongYaml(ctx.model, ctx.specPath) }];
}
