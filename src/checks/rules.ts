/**
 * Every rule id with its severity and a one-line summary: for SARIF, `--help` and docs.
 * Lint's rules, and `port-moved`, which only `generate` emits (it compares with the last run).
 * tests/lint/rule-list.test.ts fails when a rule is emitted in src/ but missing here or in docs/spec.md.
 */
import type { Severity } from '../diagnostics/diagnostic.js';

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML (also: duplicate keys, alias bombs, not UTF-8, empty, too large).' },
  { id: 'schema', severity: 'error', summary: 'The JSON Schema rejects a value: unknown key, wrong type, bad name.' },
  { id: 'unknown-service', severity: 'error', summary: 'calls, a route, a saga step, host or deploy.kubernetes.services names an undeclared service.' },
  { id: 'unknown-operation', severity: 'error', summary: 'A saga step or calls.operations names an operation the service lacks.' },
  { id: 'unknown-event', severity: 'error', summary: 'publishes, subscribes or a saga names an undeclared event; a * pattern matching none.' },
  { id: 'unknown-schema', severity: 'error', summary: 'A type names an undeclared schema.' },
  { id: 'bad-pattern', severity: 'error', summary: 'A field pattern is not a valid regular expression, or can backtrack catastrophically.' },
  { id: 'duplicate-port', severity: 'error', summary: 'Two services, or a service and the gateway, share a port.' },
  { id: 'route-conflict', severity: 'error', summary: 'Two gateway routes claim the same path and method.' },
  { id: 'operation-conflict', severity: 'error', summary: 'Two operations of one service share method and path (GET /health is reserved).' },
  { id: 'path-param', severity: 'error', summary: 'params names a field that is not a {param} of the path, or the path repeats a {param}.' },
  { id: 'saga-chain', severity: 'error', summary: 'A choreography step waits for an event no earlier step (or start) emits.' },
  { id: 'saga-step-name', severity: 'error', summary: "Two steps of an orchestrated saga give one method of its step class (create-order and createOrder), or one it has (ctx)." },
  { id: 'saga-uncompensated', severity: 'warning', summary: 'A step can fail after earlier steps changed state, and nothing compensates them.' },
  { id: 'unused-event', severity: 'warning', summary: 'An event nobody publishes, or nobody subscribes to.' },
  { id: 'call-cycle', severity: 'warning', summary: 'Synchronous calls form a cycle.' },
  { id: 'upstream-url', severity: 'error', summary: 'A route to a system outside the spec (upstream) names no usable http(s) URL.' },
  { id: 'route-auth', severity: 'error', summary: 'A route asks for auth: jwt, but the gateway has no auth.jwt to check tokens with.' },
  { id: 'route-unreachable', severity: 'warning', summary: "No operation of the route's service can be reached through the route." },
  { id: 'deploy-name', severity: 'error', summary: 'A service has a name docker-compose.yml gives one of its own containers (`<service>-db`, `rabbitmq`, `consul`…).' },
  { id: 'kubernetes-scaling', severity: 'error', summary: 'A Deployment would have maxReplicas below replicas, or request more CPU or memory than its limit.' },
  { id: 'monolith-ignored', severity: 'warning', summary: 'A setting has no effect in monolith mode (per-service Kubernetes settings, Consul discovery).' },
  { id: 'port-moved', severity: 'warning', summary: 'The port of a service changed since the last generate (an implicit port moved, or port: was edited or removed); generate only.' },
  { id: 'renamed-from', severity: 'warning', summary: 'A renamedFrom names the member itself or one the service still has, or sits on a saga step that implies no handler.' },
];
