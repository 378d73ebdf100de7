/** What `gateway/src/generated/gateway.ts` hands to `defineGateway`: the spec's gateway block. */
import type { HttpMethod } from '../service/definition.js';
import type { JwtSettings } from './auth.js';
import type { RateLimit } from './rate-limit.js';

interface RouteBase {
  /** The path prefix the route claims (the longest matching prefix wins). */
  readonly path: string;
  /** Remove `path` from the forwarded path (default false). */
  readonly stripPath: boolean;
  /** Put in front of the forwarded path (default `/`). */
  readonly upstreamPath: string;
  /** Omitted or empty: every method. */
  readonly methods?: readonly HttpMethod[];
  readonly auth: 'jwt' | 'none';
  /** The route's own limit, or the gateway's default; counted per route. */
  readonly rateLimit?: RateLimit;
  /** How long to wait for the upstream to answer (and between chunks of its answer). */
  readonly timeoutMs: number;
}

/** A route to one of the system's services… */
export interface ServiceRoute<Service extends string = string> extends RouteBase {
  readonly service: Service;
  readonly upstream?: never;
}

/** …or to a system outside the spec (the strangler fig): an http(s) base URL. */
export interface UpstreamRoute extends RouteBase {
  readonly upstream: string;
  readonly service?: never;
}

export type GatewayRoute<Service extends string = string> = ServiceRoute<Service> | UpstreamRoute;

export interface GatewayDefinition<Services extends Readonly<Record<string, number>> = Readonly<Record<string, number>>> {
  /** The system's name: logs, and the prefix of shared rate-limit counts. */
  readonly system: string;
  /** The port when `PORT` says nothing else. */
  readonly port: number;
  readonly discovery: 'consul' | 'dns';
  /** Each routed service and its port (where it listens when `<SERVICE>_SERVICE_URL` is unset). */
  readonly services: Services;
  readonly jwt?: JwtSettings;
  readonly rateLimitStore: 'memory' | 'redis';
  readonly cors?: { readonly origins: readonly string[]; readonly methods: readonly HttpMethod[] };
  readonly routes: readonly GatewayRoute<keyof Services & string>[];
}
