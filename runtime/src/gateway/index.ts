/**
 * @microgen/runtime/gateway: the Node gateway in front of a generated system (routing, JWT,
 * rate limits, proxying). A subpath of its own, so that services never load its dependencies.
 */
export { defineGateway, type GatewayModule } from './define.js';
export type { GatewayDefinition, GatewayRoute, ServiceRoute, UpstreamRoute } from './definition.js';
export { DEFAULT_REDIS_URL, GATEWAY, runGateway, type GatewayApp, type GatewayOptions, type RunningGateway } from './gateway.js';
export { AuthFailure, authenticator, MIN_SECRET_BYTES, signToken, type Authenticator, type JwtSettings } from './auth.js';
export { clientKey, rateLimiters, WINDOW_MS, type Limiter, type RateLimit, type RateWindow, type Verdict } from './rate-limit.js';
export { BadPath, normalizePath, routeMatcher, underPrefix, upstreamPath, type Rewrite, type RoutePattern } from './routing.js';
export { clientHeaders, proxyFailure, upstreamHeaders, type ProxyFailure } from './proxy.js';
