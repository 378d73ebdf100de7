/* Generated from schema/microgen.schema.json by scripts/schema-types.js — do not edit.
   Run `npm run schema:types` after changing the schema. */

/**
 * Name of the system; becomes the npm workspace name and the Kubernetes/compose project name.
 */
export type Name = string;
/**
 * Time limit of one call attempt.
 */
export type Duration = string;
/**
 * First (or fixed) delay.
 */
export type Duration1 = string;
/**
 * Largest delay.
 */
export type Duration2 = string;
/**
 * How long the breaker stays open before a half-open probe.
 */
export type Duration3 = string;
/**
 * A map of fields, or a single type (an alias such as `Money: number`).
 */
export type Schema = Type | MapOfFields;
/**
 * A type: string, integer, number, boolean; a format (uuid, email, date, date-time, uri); a schema name; `T[]` for an array; `a|b|c` for a string enum; a trailing `?` for optional.
 */
export type Type = string;
/**
 * A field: a type string, or a JSON Schema object.
 */
export type Field = Type1 | FieldSchema;
/**
 * A type: string, integer, number, boolean; a format (uuid, email, date, date-time, uri); a schema name; `T[]` for an array; `a|b|c` for a string enum; a trailing `?` for optional.
 */
export type Type1 = string;
/**
 * A type: string, integer, number, boolean; a format (uuid, email, date, date-time, uri); a schema name; `T[]` for an array; `a|b|c` for a string enum; a trailing `?` for optional.
 */
export type Type2 = string;
/**
 * Request body: a type, or an inline map of fields.
 */
export type Type3 = Type4 | MapOfFields4;
/**
 * A type: string, integer, number, boolean; a format (uuid, email, date, date-time, uri); a schema name; `T[]` for an array; `a|b|c` for a string enum; a trailing `?` for optional.
 */
export type Type4 = string;
/**
 * A type string, or an inline map of fields (an anonymous object type).
 */
export type Type5 = Type4 | MapOfFields4;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName = string;
/**
 * Event name, or a pattern with one `*` segment.
 */
export type EventPattern = string;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier1 = string;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier2 = string;
/**
 * A synchronous dependency on another service.
 */
export type Call = {
  /**
   * The callee's operations this service uses (all when absent).
   */
  operations?: Identifier3[];
  timeout?: Duration4;
  retry?: RetryPolicy1;
  breaker?: CircuitBreaker1;
  /**
   * Generate a user-owned fallback hook used when the breaker is open or the call fails.
   */
  fallback?: boolean;
} | null;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier3 = string;
/**
 * Time limit of one attempt.
 */
export type Duration4 = string;
/**
 * A saga: `style: orchestration` (steps are calls with compensations) or `style: choreography` (services react to events).
 */
export type Saga = OrchestratedSaga | ChoreographedSaga;
/**
 * A service name: kebab-case, at most 40 characters.
 */
export type ServiceName = string;
/**
 * Step name (kebab-case).
 */
export type Name1 = string;
/**
 * Operation the step calls.
 */
export type OperationReference = string;
/**
 * Operation that undoes the action.
 */
export type OperationReference1 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName1 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName2 = string;
/**
 * A service name: kebab-case, at most 40 characters.
 */
export type ServiceName1 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName3 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName4 = string;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier4 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName5 = string;
/**
 * A service name: kebab-case, at most 40 characters.
 */
export type ServiceName2 = string;
/**
 * An event name: dotted lowercase segments, `aggregate.happened`.
 */
export type EventName6 = string;
/**
 * A camelCase identifier, at most 64 characters.
 */
export type Identifier5 = string;
export type HTTPMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
/**
 * Path prefix the route matches.
 */
export type Path = string;
/**
 * A service name: kebab-case, at most 40 characters.
 */
export type ServiceName3 = string;
/**
 * Path put in front of the forwarded path.
 */
export type Path1 = string;
/**
 * How long the gateway waits for the upstream's answer (default: `defaults.timeout`); a slower upstream is a 504.
 */
export type Duration5 = string;
/**
 * Namespace the manifests are placed in.
 */
export type Name2 = string;
/**
 * CPUs reserved for each container.
 */
export type CPUQuantity = string | number;
/**
 * Memory reserved for each container.
 */
export type MemoryQuantity = string;
/**
 * CPUs at most used by each container.
 */
export type CPUQuantity1 = string | number;
/**
 * Memory at most used by each container.
 */
export type MemoryQuantity1 = string;

/**
 * A microgen system spec: services, events, sagas and gateway routes of one microservice system.
 */
export interface Spec {
  /**
   * Format version of this spec file. Only 1 exists today.
   */
  microgen: 1;
  name: Name;
  /**
   * What the system does, in a sentence. Copied into the generated README.
   */
  description?: string;
  defaults?: DefaultsBlock;
  broker?: BrokerBlock;
  discovery?: DiscoveryBlock;
  schemas?: SchemasBlock;
  services?: ServicesBlock;
  events?: EventsBlock;
  sagas?: SagasBlock;
  gateway?: Gateway;
  deploy?: DeployBlock;
}
/**
 * Defaults applied to every synchronous call between services unless the call overrides them.
 */
export interface DefaultsBlock {
  timeout?: Duration;
  retry?: RetryPolicy;
  breaker?: CircuitBreaker;
}
/**
 * How calls are retried (only idempotent methods and network errors are retried).
 */
export interface RetryPolicy {
  /**
   * Total attempts, the first included.
   */
  attempts?: number;
  /**
   * Delay growth between attempts.
   */
  backoff?: 'exponential' | 'fixed';
  min?: Duration1;
  max?: Duration2;
}
/**
 * Circuit breaker guarding each callee.
 */
export interface CircuitBreaker {
  /**
   * Consecutive failures that open the breaker.
   */
  failMax?: number;
  resetTimeout?: Duration3;
}
/**
 * The message broker that carries events.
 */
export interface BrokerBlock {
  /**
   * Broker technology. Only RabbitMQ is supported.
   */
  kind?: 'rabbitmq';
  /**
   * Name of the topic exchange events are published to (routing key = event name).
   */
  exchange?: string;
}
/**
 * How services find each other.
 */
export interface DiscoveryBlock {
  /**
   * `consul` registers each service with the Consul agent; `dns` uses plain service URLs.
   */
  kind: 'consul' | 'dns';
}
/**
 * Schemas shared by every service and event: a map of fields, or a single type (an alias).
 */
export interface SchemasBlock {
  [k: string]: Schema;
}
/**
 * Fields by name.
 */
export interface MapOfFields {
  [k: string]: Field;
}
/**
 * A field written as a JSON Schema object, for constraints a type string cannot say.
 */
export interface FieldSchema {
  /**
   * JSON type of the field.
   */
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  /**
   * String format.
   */
  format?: 'uuid' | 'email' | 'date' | 'date-time' | 'uri';
  /**
   * What the field means.
   */
  description?: string;
  /**
   * Allowed string values.
   *
   * @minItems 1
   */
  enum?: [string, ...string[]];
  /**
   * Smallest allowed number.
   */
  minimum?: number;
  /**
   * Largest allowed number.
   */
  maximum?: number;
  /**
   * Shortest allowed string.
   */
  minLength?: number;
  /**
   * Longest allowed string.
   */
  maxLength?: number;
  /**
   * Regular expression the string must match.
   */
  pattern?: string;
  /**
   * Fewest array items.
   */
  minItems?: number;
  /**
   * Most array items.
   */
  maxItems?: number;
  /**
   * Type of array items.
   */
  items?: Type2 | FieldSchema1;
  properties?: MapOfFields1;
  /**
   * The field may be absent (like a trailing `?` on a type string).
   */
  optional?: boolean;
  /**
   * Value used when the field is absent.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * Example values.
   */
  examples?: unknown[];
}
/**
 * A field written as a JSON Schema object, for constraints a type string cannot say.
 */
export interface FieldSchema1 {
  /**
   * JSON type of the field.
   */
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  /**
   * String format.
   */
  format?: 'uuid' | 'email' | 'date' | 'date-time' | 'uri';
  /**
   * What the field means.
   */
  description?: string;
  /**
   * Allowed string values.
   *
   * @minItems 1
   */
  enum?: [string, ...string[]];
  /**
   * Smallest allowed number.
   */
  minimum?: number;
  /**
   * Largest allowed number.
   */
  maximum?: number;
  /**
   * Shortest allowed string.
   */
  minLength?: number;
  /**
   * Longest allowed string.
   */
  maxLength?: number;
  /**
   * Regular expression the string must match.
   */
  pattern?: string;
  /**
   * Fewest array items.
   */
  minItems?: number;
  /**
   * Most array items.
   */
  maxItems?: number;
  /**
   * Type of array items.
   */
  items?: Type2 | FieldSchema1;
  properties?: MapOfFields1;
  /**
   * The field may be absent (like a trailing `?` on a type string).
   */
  optional?: boolean;
  /**
   * Value used when the field is absent.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * Example values.
   */
  examples?: unknown[];
}
/**
 * Fields of an object.
 */
export interface MapOfFields1 {
  [k: string]: Field;
}
/**
 * The services of the system, by kebab-case name.
 */
export interface ServicesBlock {
  [k: string]: Service;
}
/**
 * A service: a Fastify server with its own database, operations, events and calls.
 */
export interface Service {
  /**
   * What the service owns.
   */
  description?: string;
  /**
   * HTTP port (unique). Assigned from 8001 when absent.
   */
  port?: number;
  /**
   * The service's own database.
   */
  database?: 'postgres' | 'mongodb' | 'redis' | 'none';
  /**
   * `state` stores current state; `event-sourced` stores events and rebuilds state from them.
   */
  persistence?: 'state' | 'event-sourced';
  /**
   * Schemas private to this service.
   */
  schemas?: {
    [k: string]: Schema;
  };
  /**
   * REST operations, by camelCase name.
   */
  operations?: {
    [k: string]: Operation;
  };
  /**
   * Events this service publishes.
   */
  publishes?: EventName[];
  /**
   * Events this service handles.
   */
  subscribes?: Subscription[];
  /**
   * Services this service calls synchronously, with per-call resilience settings.
   */
  calls?: {
    [k: string]: Call;
  };
}
/**
 * One REST operation.
 */
export interface Operation {
  /**
   * Method and path; `{name}` marks a path parameter.
   */
  http: string;
  /**
   * What the operation does.
   */
  description?: string;
  params?: MapOfFields2;
  query?: MapOfFields3;
  body?: Type3;
  responses?: Responses;
  renamedFrom?: Identifier;
}
/**
 * Types of path parameters; undeclared ones are strings.
 */
export interface MapOfFields2 {
  [k: string]: Field;
}
/**
 * Query-string parameters.
 */
export interface MapOfFields3 {
  [k: string]: Field;
}
/**
 * Fields by name.
 */
export interface MapOfFields4 {
  [k: string]: Field;
}
/**
 * Responses by HTTP status: a type, an inline map, or `empty`.
 */
export interface Responses {
  [k: string]: Type5;
}
export interface Subscription {
  event: EventPattern;
  handler?: Identifier1;
  renamedFrom?: Identifier2;
}
/**
 * Retry policy for this callee.
 */
export interface RetryPolicy1 {
  /**
   * Total attempts, the first included.
   */
  attempts?: number;
  /**
   * Delay growth between attempts.
   */
  backoff?: 'exponential' | 'fixed';
  min?: Duration1;
  max?: Duration2;
}
/**
 * Circuit breaker for this callee.
 */
export interface CircuitBreaker1 {
  /**
   * Consecutive failures that open the breaker.
   */
  failMax?: number;
  resetTimeout?: Duration3;
}
/**
 * Events published over the broker, by dotted name (`aggregate.happened`).
 */
export interface EventsBlock {
  [k: string]: Event;
}
export interface Event {
  payload?: MapOfFields5;
  /**
   * Payload version; bump it when the payload changes.
   */
  version?: number;
  /**
   * What happened.
   */
  description?: string;
}
/**
 * Fields of the event payload.
 */
export interface MapOfFields5 {
  [k: string]: Field;
}
/**
 * Distributed transactions: orchestrated (calls with compensations) or choreographed (over events).
 */
export interface SagasBlock {
  [k: string]: Saga;
}
export interface OrchestratedSaga {
  /**
   * How the saga is coordinated.
   */
  style: 'orchestration';
  /**
   * What the saga achieves.
   */
  description?: string;
  host?: ServiceName;
  input?: MapOfFields6;
  /**
   * Ordered steps; a failure compensates the earlier steps in reverse order.
   *
   * @minItems 1
   */
  steps: [OrchestrationStep, ...OrchestrationStep[]];
}
/**
 * Fields the saga starts with.
 */
export interface MapOfFields6 {
  [k: string]: Field;
}
export interface OrchestrationStep {
  name: Name1;
  action: OperationReference;
  compensation?: OperationReference1;
}
export interface ChoreographedSaga {
  /**
   * How the saga is coordinated.
   */
  style: 'choreography';
  /**
   * What the saga achieves.
   */
  description?: string;
  start: EventName1;
  /**
   * Reactions: when an event arrives, a service acts and emits its outcome.
   *
   * @minItems 1
   */
  steps: [ChoreographyStep, ...ChoreographyStep[]];
  /**
   * Compensating reactions to failure events.
   */
  compensations?: Compensation[];
}
export interface ChoreographyStep {
  when: EventName2;
  service: ServiceName1;
  emits?: EventName3;
  fails?: EventName4;
  renamedFrom?: Identifier4;
}
export interface Compensation {
  when: EventName5;
  service: ServiceName2;
  emits?: EventName6;
  renamedFrom?: Identifier5;
}
/**
 * The API gateway in front of the services: routes, JWT auth, rate limits, CORS.
 */
export interface Gateway {
  /**
   * `kong` (declarative Kong config plus the Node gateway for dev) or `node` only.
   */
  kind?: 'kong' | 'node';
  /**
   * Port the gateway listens on.
   */
  port?: number;
  auth?: AuthBlock;
  rateLimit?: RateLimit;
  /**
   * Where the Node gateway counts requests: `memory` (each replica counts alone) or `redis` (replicas share one count, at `REDIS_URL`).
   */
  rateLimitStore?: 'memory' | 'redis';
  cors?: CorsBlock;
  /**
   * Routes: the longest matching `path` prefix wins.
   */
  routes?: Route[];
}
/**
 * Authentication applied to routes with `auth: jwt` (the default).
 */
export interface AuthBlock {
  jwt?: JwtBlock;
}
/**
 * JWT verification: an HS256 secret from the environment, or a JWKS URL.
 */
export interface JwtBlock {
  /**
   * Environment variable holding the HS256 secret.
   */
  secretEnv?: string;
  /**
   * URL of the issuer's JSON Web Key Set.
   */
  jwksUrl?: string;
  /**
   * Required `iss` claim.
   */
  issuer?: string;
  /**
   * Required `aud` claim.
   */
  audience?: string;
}
/**
 * Default rate limit of every route.
 */
export interface RateLimit {
  /**
   * Requests per second per client.
   */
  second?: number;
  /**
   * Requests per minute per client.
   */
  minute?: number;
  /**
   * Requests per hour per client.
   */
  hour?: number;
}
/**
 * Cross-origin settings.
 */
export interface CorsBlock {
  /**
   * Allowed origins (`*` for any).
   *
   * @minItems 1
   */
  origins: [string, ...string[]];
  /**
   * Allowed methods.
   */
  methods?: HTTPMethod[];
}
export interface Route {
  path: Path;
  service?: ServiceName3;
  /**
   * A system outside the spec the route forwards to instead of a service: the monolith being carved up route by route (the strangler fig).
   */
  upstream?: string;
  /**
   * Remove the matched prefix before forwarding (default false).
   */
  stripPath?: boolean;
  upstreamPath?: Path1;
  /**
   * Methods the route accepts (all when absent).
   *
   * @minItems 1
   */
  methods?: [HTTPMethod, ...HTTPMethod[]];
  /**
   * `jwt` (default when the gateway has auth) or `none`.
   */
  auth?: 'jwt' | 'none';
  rateLimit?: RateLimit1;
  timeout?: Duration5;
}
/**
 * Rate limit of this route, replacing the gateway's.
 */
export interface RateLimit1 {
  /**
   * Requests per second per client.
   */
  second?: number;
  /**
   * Requests per minute per client.
   */
  minute?: number;
  /**
   * Requests per hour per client.
   */
  hour?: number;
}
/**
 * Deployment artefacts to generate.
 */
export interface DeployBlock {
  /**
   * `services` (one process and image per service) or `monolith` (the same services and handlers as one process and one image).
   */
  mode?: 'services' | 'monolith';
  /**
   * Generate docker-compose.yml with the broker and a database per service.
   */
  compose?: boolean;
  kubernetes?: KubernetesBlock;
}
/**
 * Generate Kubernetes manifests: a kustomize base under k8s/base (generated) and overlays under k8s/overlays (yours).
 */
export interface KubernetesBlock {
  namespace?: Name2;
  /**
   * Replicas of each Deployment (the least the autoscaler keeps). With 2 or more, a PodDisruptionBudget keeps all but one up during voluntary disruptions.
   */
  replicas?: number;
  /**
   * The most replicas the HorizontalPodAutoscaler may run; an autoscaler is generated when it is above `replicas`. Default: twice `replicas` when that is 2 or more, else `replicas` (no autoscaler).
   */
  maxReplicas?: number;
  /**
   * Average CPU use, in percent of the CPU request, that the autoscaler keeps each Deployment at.
   */
  cpuUtilization?: number;
  resources?: Resources;
  services?: PerServiceKubernetesSettings;
  gateway?: KubernetesSettingsOfOneDeployment1;
}
/**
 * CPU and memory requests and limits of the containers.
 */
export interface Resources {
  requests?: ResourceRequests;
  limits?: ResourceLimits;
}
/**
 * CPU and memory requests of each container.
 */
export interface ResourceRequests {
  cpu?: CPUQuantity;
  memory?: MemoryQuantity;
}
/**
 * CPU and memory limits of each container.
 */
export interface ResourceLimits {
  cpu?: CPUQuantity1;
  memory?: MemoryQuantity1;
}
/**
 * Per-service settings that replace the defaults above for that service's Deployment.
 */
export interface PerServiceKubernetesSettings {
  [k: string]: KubernetesSettingsOfOneDeployment;
}
/**
 * Replicas, autoscaling bounds and resources of one Deployment.
 */
export interface KubernetesSettingsOfOneDeployment {
  /**
   * Replicas of each Deployment (the least the autoscaler keeps). With 2 or more, a PodDisruptionBudget keeps all but one up during voluntary disruptions.
   */
  replicas?: number;
  /**
   * The most replicas the HorizontalPodAutoscaler may run; an autoscaler is generated when it is above `replicas`. Default: twice `replicas` when that is 2 or more, else `replicas` (no autoscaler).
   */
  maxReplicas?: number;
  /**
   * Average CPU use, in percent of the CPU request, that the autoscaler keeps each Deployment at.
   */
  cpuUtilization?: number;
  resources?: Resources1;
}
/**
 * CPU and memory requests and limits of the containers.
 */
export interface Resources1 {
  requests?: ResourceRequests;
  limits?: ResourceLimits;
}
/**
 * Replicas, autoscaling bounds and resources of one Deployment.
 */
export interface KubernetesSettingsOfOneDeployment1 {
  /**
   * Replicas of each Deployment (the least the autoscaler keeps). With 2 or more, a PodDisruptionBudget keeps all but one up during voluntary disruptions.
   */
  replicas?: number;
  /**
   * The most replicas the HorizontalPodAutoscaler may run; an autoscaler is generated when it is above `replicas`. Default: twice `replicas` when that is 2 or more, else `replicas` (no autoscaler).
   */
  maxReplicas?: number;
  /**
   * Average CPU use, in percent of the CPU request, that the autoscaler keeps each Deployment at.
   */
  cpuUtilization?: number;
  resources?: Resources1;
}
