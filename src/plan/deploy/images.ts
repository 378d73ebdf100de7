/**
 * The container images deployment files use, in one place, each pinned to a release line (never
 * `latest`): docs/dependencies.md says why each was chosen.
 */
export const IMAGES = {
  /** The base of every image microgen's Dockerfiles build: Node 20 on Debian 12, without build tools. */
  node: 'node:20-bookworm-slim',
  postgres: 'postgres:16',
  mongodb: 'mongo:7',
  redis: 'redis:7',
  /** RabbitMQ with the management UI; quorum queues and publisher confirms as the event bus uses them. */
  rabbitmq: 'rabbitmq:3.13-management',
  /** The last open-source Kong line, DB-less. */
  kong: 'kong:3.9',
  /** Renders gateway/kong.yml's `${{ env "DECK_…" }}` templates (decK 1.36 or later) before Kong reads it. */
  deck: 'kong/deck:v1.38.0',
  consul: 'hashicorp/consul:1.20',
} as const;
