/**
 * The normalised, typed, immutable model of a system. Every stage after loading (checks,
 * generators, diff, graph, export) reads this and never the raw YAML. Each element keeps
 * `at`, its path in the spec, so a check can point back at the text.
 */
/** A path into the spec data: `['services', 'user', 'port']`. */
export type SpecPath = readonly (string | number)[];

/** Where a diagnostic at a path points: the key of its last element, or its value. */
export type Anchor = 'key' | 'value';

export type Primitive = 'string' | 'integer' | 'number' | 'boolean';
export type StringFormat = 'uuid' | 'email' | 'date' | 'date-time' | 'uri';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** JSON Schema constraints a field may carry beyond its type (from the object form). */
export interface Constraints {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

export type TypeRef =
  | { readonly kind: 'primitive'; readonly name: Primitive }
  | { readonly kind: 'format'; readonly format: StringFormat }
  /** A named schema: `scope` says where it resolved (`builtin` is `Error`; `unknown` failed). */
  | { readonly kind: 'ref'; readonly name: string; readonly scope: 'shared' | 'service' | 'builtin' | 'unknown' }
  | { readonly kind: 'array'; readonly items: TypeRef }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly fields: readonly Field[] }
  | { readonly kind: 'empty' };

export interface Field {
  readonly name: string;
  readonly type: TypeRef;
  readonly optional: boolean;
  readonly description?: string;
  readonly constraints?: Constraints;
  readonly at: SpecPath;
}

export interface NamedSchema {
  readonly name: string;
  /** An object schema or an alias of another type. */
  readonly type: TypeRef;
  readonly owner: 'shared' | string;
  readonly at: SpecPath;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoff: 'exponential' | 'fixed';
  readonly minMs: number;
  readonly maxMs: number;
}

export interface BreakerPolicy {
  readonly failMax: number;
  readonly resetTimeoutMs: number;
}

export interface Operation {
  readonly name: string;
  readonly service: string;
  readonly method: HttpMethod;
  /** The path as written, with `{param}` placeholders. */
  readonly path: string;
  readonly description?: string;
  /** Every `{param}` of the path in order, typed (undeclared ones are strings). */
  readonly params: readonly Field[];
  /** The `params` block as written (may name fields the path lacks: the `path-param` check). */
  readonly declaredParams: readonly Field[];
  readonly query: readonly Field[];
  readonly body?: TypeRef;
  readonly responses: readonly Response[];
  /** The spec's `renamedFrom`: the operation's previous name (see src/plan/renames.ts). */
  readonly renamedFrom?: string;
  readonly at: SpecPath;
}

export interface Response {
  readonly status: number;
  readonly type: TypeRef;
  readonly at: SpecPath;
}

export interface Subscription {
  /** Event name or a pattern with `*` segments. */
  readonly event: string;
  readonly handler: string;
  /** The declared events this subscription receives. */
  readonly matches: readonly string[];
  /** Where it came from: the spec, or implied by a choreographed saga. */
  readonly origin: { readonly kind: 'spec' } | { readonly kind: 'saga'; readonly saga: string };
  /** The handler's previous name (`renamedFrom` of the subscription or saga step). */
  readonly renamedFrom?: string;
  readonly at: SpecPath;
}

export interface Publication {
  readonly event: string;
  readonly origin: { readonly kind: 'spec' } | { readonly kind: 'saga'; readonly saga: string };
  readonly at: SpecPath;
}

export interface Call {
  readonly service: string;
  /** The callee's operations used (all of them when the spec lists none). */
  readonly operations: readonly string[];
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly breaker: BreakerPolicy;
  readonly fallback: boolean;
  readonly at: SpecPath;
}

export type Database = 'postgres' | 'mongodb' | 'redis' | 'none';

/**
 * What a service's generated code has to provide, decided once here so that generators ask
 * the model instead of recomputing it (and cannot disagree).
 */
export interface ServiceFeatures {
  /** It declares a database. */
  readonly database: boolean;
  /** It calls at least one declared service (its `clients`): typed clients. */
  readonly clients: boolean;
  /** A call with `fallback: true` reaches at least one operation: fallback handlers. */
  readonly fallbacks: boolean;
  /** It publishes events (declared or implied by a choreography). */
  readonly publishes: boolean;
  /** It subscribes to events: event handlers. */
  readonly subscribes: boolean;
  /** Another service subscribes to an event it publishes: it declares their queues too. */
  readonly received: boolean;
  /** It hosts an orchestrated saga: saga step classes, and the saga routes. */
  readonly sagas: boolean;
}

export interface Service {
  readonly name: string;
  readonly description?: string;
  readonly port: number;
  /** True when the port came from the spec rather than from automatic assignment. */
  readonly portDeclared: boolean;
  readonly database: Database;
  readonly persistence: 'state' | 'event-sourced';
  readonly schemas: readonly NamedSchema[];
  readonly operations: readonly Operation[];
  readonly publishes: readonly Publication[];
  readonly subscribes: readonly Subscription[];
  /** The spec's `calls`, as written (checks, the graph and `diff` read these). */
  readonly calls: readonly Call[];
  /**
   * Whom its generated code calls: `calls`, plus the operations the steps of each orchestrated
   * saga it hosts call (actions and compensations; the defaults' policies, no fallback), united
   * with a call of the same callee. Its clients, `<SERVICE>_SERVICE_URL`s and fallbacks follow these.
   */
  readonly clients: readonly Call[];
  readonly features: ServiceFeatures;
  readonly at: SpecPath;
}

export interface EventDef {
  readonly name: string;
  readonly version: number;
  readonly description?: string;
  readonly payload: readonly Field[];
  readonly at: SpecPath;
}

export interface OperationRef {
  readonly service: string;
  readonly operation: string;
  readonly at: SpecPath;
}

export interface OrchestrationStep {
  readonly name: string;
  readonly action: OperationRef;
  readonly compensation?: OperationRef;
  readonly at: SpecPath;
}

export interface ChoreographyStep {
  readonly when: string;
  readonly service: string;
  readonly emits?: string;
  readonly fails?: string;
  readonly renamedFrom?: string;
  readonly at: SpecPath;
}

export interface Compensation {
  readonly when: string;
  readonly service: string;
  readonly emits?: string;
  readonly renamedFrom?: string;
  readonly at: SpecPath;
}

export type Saga =
  | {
      readonly style: 'orchestration';
      readonly name: string;
      readonly description?: string;
      readonly host: string;
      readonly input: readonly Field[];
      readonly steps: readonly OrchestrationStep[];
      readonly at: SpecPath;
    }
  | {
      readonly style: 'choreography';
      readonly name: string;
      readonly description?: string;
      readonly start: string;
      readonly steps: readonly ChoreographyStep[];
      readonly compensations: readonly Compensation[];
      readonly at: SpecPath;
    };

export interface RateLimit {
  readonly second?: number;
  readonly minute?: number;
  readonly hour?: number;
}

export interface Route {
  readonly path: string;
  /** The service the route forwards to, or… */
  readonly service?: string;
  /** …a system outside the spec (the strangler fig): an http(s) base URL. Exactly one of the two is set. */
  readonly upstream?: string;
  readonly stripPath: boolean;
  readonly upstreamPath: string;
  /** Empty means every method. */
  readonly methods: readonly HttpMethod[];
  readonly auth: 'jwt' | 'none';
  /** The route's own limit, or the gateway's default. */
  readonly rateLimit?: RateLimit;
  /** How long the gateway waits for the upstream (the route's `timeout`, else `defaults.timeout`). */
  readonly timeoutMs: number;
  readonly at: SpecPath;
}

export interface Gateway {
  readonly kind: 'kong' | 'node';
  readonly port: number;
  readonly jwt?: {
    readonly secretEnv?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
  };
  readonly rateLimit?: RateLimit;
  /** Where the Node gateway counts requests. */
  readonly rateLimitStore: 'memory' | 'redis';
  readonly cors?: { readonly origins: readonly string[]; readonly methods: readonly HttpMethod[] };
  readonly routes: readonly Route[];
  readonly at: SpecPath;
}

export interface SystemModel {
  readonly name: string;
  readonly description?: string;
  readonly defaults: { readonly timeoutMs: number; readonly retry: RetryPolicy; readonly breaker: BreakerPolicy };
  readonly broker: { readonly kind: 'rabbitmq'; readonly exchange: string };
  readonly discovery: 'consul' | 'dns';
  readonly schemas: readonly NamedSchema[];
  readonly services: readonly Service[];
  readonly events: readonly EventDef[];
  readonly sagas: readonly Saga[];
  /** Always present: the Node gateway is generated even without a `gateway` block (for `microgen dev`). */
  readonly gateway: Gateway;
  readonly deploy: Deploy;
}

/** CPU and memory as Kubernetes quantities (`250m`, `128Mi`). */
export interface Quantities {
  readonly cpu: string;
  readonly memory: string;
}

/** How one Deployment runs: its replicas, autoscaling bounds and container resources. */
export interface Scaling {
  readonly replicas: number;
  /** Above `replicas`: a HorizontalPodAutoscaler between the two. */
  readonly maxReplicas: number;
  /** The average CPU use (percent of the request) the autoscaler aims for. */
  readonly cpuUtilization: number;
  readonly resources: { readonly requests: Quantities; readonly limits: Quantities };
}

/** `deploy.kubernetes.services.<name>`: a service's own settings, defaults filled in. */
export interface ScalingOverride {
  readonly service: string;
  readonly scaling: Scaling;
  readonly at: SpecPath;
}

export interface Kubernetes {
  readonly namespace: string;
  /** Every Deployment's settings unless overridden. */
  readonly scaling: Scaling;
  readonly services: readonly ScalingOverride[];
  /** The gateway's Deployment (Kong, or the Node gateway in services mode). */
  readonly gateway: Scaling;
  /** Where `deploy.kubernetes.gateway` is, when the spec has it. */
  readonly gatewayAt?: SpecPath;
  readonly at: SpecPath;
}

export interface Deploy {
  /** One process and image per service, or all of them as one (the monolith). */
  readonly mode: 'services' | 'monolith';
  readonly compose: boolean;
  readonly kubernetes?: Kubernetes;
}
