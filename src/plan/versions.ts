/**
 * Versions of what generated systems depend on, in one place. Pinned to majors that run on
 * Node 20 (the machines' runtime): see docs/dependencies.md for why each was chosen.
 */
export const VERSIONS = {
  /** The workspace package packages/runtime (microgen's runtime library); `*` always matches the copy beside it. */
  '@microgen/runtime': '*',
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
  fastify: '^5.6.0',
  /** Body validation without type coercion (Fastify's own ajv coerces everything); the majors fastify 5 uses. */
  ajv: '^8.17.0',
  'ajv-formats': '^3.0.1',
  pino: '^10.0.0',
  /** Retry and circuit breaker. cockatiel 4 needs Node 22. */
  cockatiel: '^3.2.1',
  pg: '^8.16.0',
  '@types/pg': '^8.15.0',
  /** mongodb 7 needs Node 20.19+; 6 runs on every Node 20. */
  mongodb: '^6.20.0',
  ioredis: '^5.8.0',
  /** PostgreSQL as WebAssembly: `microgen dev`'s embedded database (no engines field; runs on Node 20). */
  '@electric-sql/pglite': '^0.5.17',
  /** RabbitMQ client with its own connection recovery (2.x: Node 18+, no dependencies). */
  amqplib: '^2.3.1',
  /** The Node gateway's proxy. 12 is the maintained line; its undici 7 needs Node 20.18.1 or later. */
  '@fastify/reply-from': '^12.6.5',
  '@fastify/rate-limit': '^11.2.0',
  '@fastify/cors': '^11.4.3',
  /** JWT checks. jose 6 is ESM-only, as the runtime is. */
  jose: '^6.2.19',
} as const;

export type Dependency = keyof typeof VERSIONS;

export function deps(...names: Dependency[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((n) => [n, VERSIONS[n]]));
}

/**
 * npm `overrides` of the generated root package.json: transitive versions that would need a
 * newer Node than the one the system targets. light-my-request 6.8 (fastify's inject) pulls
 * cookie 2, which requires Node 22; 6.6 uses cookie 1 (Node 18+).
 */
export const OVERRIDES: Record<string, string> = {
  'light-my-request': '6.6.0',
};
