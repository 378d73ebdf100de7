/**
 * One fixture pair per semantic rule: `tests/fixtures/rules/<rule>/bad.yaml` must give exactly
 * the listed diagnostics of that rule (rule, severity, line, column, a key part of the message),
 * and `good.yaml` must lint clean — no diagnostic of any rule. yaml-syntax and schema, which
 * need many small inputs rather than one file, are in syntax.test.ts and schema.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/rules.js';
import { at, lintRepoFile, show, type Expected } from './helpers.js';

interface RuleCase {
  readonly severity: 'error' | 'warning';
  readonly bad: readonly Expected[];
}

const CASES: Record<string, RuleCase> = {
  'bad-pattern': {
    severity: 'error',
    bad: [
      { line: 6, column: 37, message: 'the pattern of label is not a valid regular expression: /([a-z/u: Unterminated character class' },
      { line: 7, column: 37, message: 'the pattern of words repeats a group that ends in a repetition of its own' },
      { line: 14, column: 39, message: 'the pattern of q repeats a group' },
    ],
  },
  'upstream-url': {
    severity: 'error',
    bad: [
      { line: 15, column: 17, message: 'route /shop forwards to "http://[::1", but it is not a URL' },
      { line: 17, column: 17, message: 'but it carries credentials' },
      { line: 19, column: 17, message: 'but it has a query or a fragment' },
    ],
  },
  'route-auth': {
    severity: 'error',
    bad: [
      { line: 14, column: 13, message: 'route /api/users asks for auth: jwt, but gateway.auth.jwt is not configured, so the gateway cannot check tokens' },
      { line: 15, column: 68, message: 'route /api asks for auth: jwt' },
    ],
  },
  'unknown-service': {
    severity: 'error',
    bad: [
      { line: 9, column: 7, message: 'service order calls service "paymnt", which is not declared (did you mean "payment"?)' },
      { line: 22, column: 11, message: 'saga checkout host names service "ordr", which is not declared (did you mean "order"?)' },
      { line: 25, column: 17, message: 'saga checkout step pay names service "billing", which is not declared' },
      { line: 31, column: 18, message: 'saga notify names service "mailer", which is not declared' },
      { line: 35, column: 16, message: 'route /api/payments names service "payments", which is not declared (did you mean "payment"?)' },
      { line: 41, column: 7, message: 'deploy.kubernetes.services names service "paymnt", which is not declared (did you mean "payment"?)' },
    ],
  },
  'unknown-operation': {
    severity: 'error',
    bad: [
      { line: 11, column: 30, message: 'names operation "refnd", which service payment does not have (did you mean "refund"?)' },
      { line: 21, column: 17, message: 'step create names operation "createOrdr", which service order does not have (did you mean "createOrder"?)' },
      { line: 22, column: 23, message: 'compensation names operation "cancel", which service order does not have (did you mean "cancelOrder"?)' },
    ],
  },
  'unknown-event': {
    severity: 'error',
    bad: [
      { line: 6, column: 32, message: 'service order publishes event "order.cancelled", which is not declared' },
      { line: 8, column: 16, message: 'service order subscribes to event "payment.faild", which is not declared (did you mean "payment.failed"?)' },
      { line: 12, column: 16, message: 'subscribes to "refund.*", which matches no declared event' },
      { line: 21, column: 12, message: 'saga checkout starts with event "order.creatd", which is not declared (did you mean "order.created"?)' },
      { line: 23, column: 15, message: 'service payment waits for event "order.creatd", which is not declared (did you mean "order.created"?)' },
      { line: 25, column: 16, message: 'service payment emits event "payment.charged", which is not declared' },
      { line: 30, column: 16, message: 'the compensation of service order emits event "order.canceled", which is not declared' },
    ],
  },
  'saga-step-name': {
    severity: 'error',
    bad: [
      { line: 17, column: 15, message: 'saga checkout: step create-order gives its step class the method createOrder, and another step is named create-order: rename the step' },
      { line: 19, column: 15, message: 'step compensate-create-order gives its step class the method compensateCreateOrder, and so does step create-order' },
      { line: 21, column: 15, message: 'step ctx gives its step class the method ctx, and the class has one' },
    ],
  },
  'unknown-schema': {
    severity: 'error',
    bad: [
      { line: 5, column: 10, message: 'type "Amout" is not a declared schema or a built-in type' },
      { line: 14, column: 16, message: 'type "Itme" is not a declared schema or a built-in type (did you mean "Item"?)' },
      { line: 18, column: 15, message: 'type "NewOrder" is not a declared schema' },
      { line: 19, column: 24, message: 'type "integr" is not a declared schema or a built-in type (did you mean "integer"?)' },
      { line: 20, column: 39, message: 'type "Eror" is not a declared schema or a built-in type (did you mean "Error"?)' },
      // A service's own schema is not in scope for an event payload.
      { line: 25, column: 23, message: 'type "Ordr" is not a declared schema' },
    ],
  },
  'duplicate-port': {
    severity: 'error',
    bad: [
      { line: 9, column: 11, message: 'service payment uses port 8001, already taken by service order' },
      { line: 11, column: 11, message: 'service shipping uses port 9000, already taken by the gateway' },
      {
        line: 14,
        column: 11,
        message: 'service billing uses port 8004, which service mailer gets implicitly (it has no port:); give mailer an explicit port: 8004 and pick another for billing',
      },
    ],
  },
  'route-conflict': {
    severity: 'error',
    bad: [
      { line: 15, column: 13, message: 'route /api/orders (every method) is already claimed by an earlier route to service order' },
      { line: 22, column: 13, message: 'route /orders (POST) is already claimed' },
    ],
  },
  'operation-conflict': {
    severity: 'error',
    bad: [
      { line: 11, column: 15, message: 'operation findUser (GET /users/{userId}) clashes with operation getUser in service user' },
      { line: 14, column: 15, message: 'operation health (GET /health) clashes with the generated health check' },
    ],
  },
  'path-param': {
    severity: 'error',
    bad: [
      { line: 10, column: 19, message: 'params names "userid", which is not a {param} of GET /users/{userId} (did you mean "userId"?)' },
      { line: 14, column: 11, message: 'params names "page", which is not a {param} of GET /users' },
      { line: 17, column: 15, message: 'GET /users/{id}/links/{id} uses {id} more than once' },
    ],
  },
  'saga-chain': {
    severity: 'error',
    bad: [
      { line: 24, column: 15, message: 'the step of service payment waits for "stock.reserved", which neither `start` nor an earlier step emits' },
      { line: 31, column: 15, message: 'the compensation of service order waits for "payment.failed", which no step emits or fails with' },
    ],
  },
  'saga-uncompensated': {
    severity: 'warning',
    bad: [
      { line: 32, column: 17, message: 'step create-order changes state through order.createOrder, and nothing compensates it' },
      { line: 50, column: 16, message: '"payment.failed" can follow the step of service order, and no compensation of order reacts to it' },
    ],
  },
  'unused-event': {
    severity: 'warning',
    bad: [
      { line: 11, column: 3, message: 'event order.created is declared but nobody subscribes to it' },
      { line: 13, column: 3, message: 'event user.registered is declared but nobody publishes it' },
      { line: 15, column: 3, message: 'event order.archived is declared but nobody publishes or subscribes to it' },
    ],
  },
  'renamed-from': {
    severity: 'warning',
    bad: [
      { line: 12, column: 22, message: 'operation sendOrder says it was renamed from placeOrder, which service order still has' },
      { line: 16, column: 22, message: 'operation getOrder says it was renamed from itself' },
      { line: 22, column: 47, message: 'handler onStockReleased says it was renamed from onPaymentCharged, which service order still has' },
      { line: 45, column: 22, message: 'service inventory subscribes to order.created itself, so this step implies no handler' },
    ],
  },
  'call-cycle': {
    severity: 'warning',
    bad: [
      { line: 13, column: 7, message: 'synchronous calls form a cycle: order → payment → ledger → order' },
      { line: 16, column: 7, message: 'synchronous calls form a cycle: audit → audit' },
    ],
  },
  'route-unreachable': {
    severity: 'warning',
    bad: [
      { line: 12, column: 13, message: 'route /api/users forwards /api/users/… unchanged, which reaches no operation of service user' },
      { line: 14, column: 13, message: 'route /api/people forwards /api/people/… as /people…, which reaches no operation of service user' },
      { line: 18, column: 13, message: 'route /users (DELETE only) forwards /users/… unchanged' },
    ],
  },
  'deploy-name': {
    severity: 'error',
    bad: [
      { line: 8, column: 3, message: 'service order-db has the name docker-compose.yml gives the database of service order' },
      { line: 9, column: 3, message: 'service rabbitmq has the name docker-compose.yml gives RabbitMQ' },
    ],
  },
  'kubernetes-scaling': {
    severity: 'error',
    bad: [
      { line: 8, column: 3, message: 'every Deployment has maxReplicas 3, fewer than its replicas (4)' },
      { line: 12, column: 7, message: 'the Deployment of service order requests 1500m of CPU, more than its limit (1)' },
      { line: 17, column: 7, message: 'the Deployment of service payment requests 2Gi of memory, more than its limit (512Mi)' },
    ],
  },
  'monolith-ignored': {
    severity: 'warning',
    bad: [
      { line: 5, column: 9, message: 'discovery through Consul has no effect in monolith mode' },
      { line: 21, column: 7, message: 'the Kubernetes settings of service order have no effect in monolith mode' },
      { line: 22, column: 5, message: "the gateway's Kubernetes settings have no effect in monolith mode" },
    ],
  },
};

describe('semantic rules', () => {
  it('every rule of src/checks/rules.ts has a case here, in syntax/schema tests or (port-moved, which generate emits) in tests/engine/ports.test.ts', () => {
    const covered = [...Object.keys(CASES), 'yaml-syntax', 'schema', 'port-moved'].sort();
    expect(covered).toEqual(RULES.map((r) => r.id).sort());
  });

  it('every case uses the severity rules.ts declares for its rule', () => {
    for (const [rule, c] of Object.entries(CASES)) expect(RULES.find((r) => r.id === rule)?.severity, rule).toBe(c.severity);
  });

  describe.each(Object.entries(CASES))('%s', (rule, c) => {
    it('bad.yaml reports it at the exact places', () => {
      const result = lintRepoFile(`tests/fixtures/rules/${rule}/bad.yaml`);
      // Semantic checks only run once the schema accepts the spec: a fixture with a schema error tests nothing.
      expect(result.diagnostics.filter((d) => d.rule === 'schema' || d.rule === 'yaml-syntax').map(show)).toEqual([]);
      const mine = result.diagnostics.filter((d) => d.rule === rule);
      expect(mine, mine.map(show).join('\n')).toEqual(c.bad.map((e) => expect.objectContaining(at(rule, c.severity, e))));
      for (const d of mine) expect(d.file).toBe(`tests/fixtures/rules/${rule}/bad.yaml`);
    });

    it('good.yaml lints clean', () => {
      const result = lintRepoFile(`tests/fixtures/rules/${rule}/good.yaml`);
      expect(result.diagnostics.map(show)).toEqual([]);
      expect(result.model).toBeDefined();
    });
  });
});
