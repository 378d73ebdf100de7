/**
 * The container images deployment files use, each pinned to a release line (never `latest`):
 * docs/dependencies.md says why each was chosen. Kong's is kong.ts's KONG_IMAGE, which
 * gateway/kong.yml is written for.
 */
export const IMAGES = {
  /** The base of every image microgen's Dockerfiles build: Node 20 on Debian 12, without build tools. */
  node: 'node:20-bookworm-slim',
  postgres: 'postgres:16',
  mongodb: 'mongo:7',
  redis: 'redis:7',
  /** RabbitMQ with the management UI; quorum queues and publisher confirms as the event bus uses them. */
  rabbitmq: 'rabbitmq:3.13-management',
  consul: 'hashicorp/consul:1.20',
} as const;

/** Renders gateway/kong.yml's `${{ env "DECK_…" }}` templates (decK 1.36 or later) before Kong reads it. */
export const DECK_IMAGE = 'kong/deck:v1.38.0';
