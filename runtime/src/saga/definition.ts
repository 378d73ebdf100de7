/**
 * An orchestrated saga as its host service runs it: ordered steps, each an action and an optional
 * compensation (usually a call to another service), and the record the engine keeps of one run.
 */
import { CallError } from '../http/call-error.js';
import type { HttpReply } from '../http/caller.js';
import { HttpError } from '../errors.js';
import { KEY_IN_USE } from '../service/idempotency.js';

/** What the steps of a saga know of each other's results when nothing more is said: any JSON, by step name. */
export type AnyResults = Readonly<Record<string, unknown>>;

/**
 * What a step's action or compensation is given. `Results` types what the earlier steps returned
 * (`{ readonly 'create-order'?: Order }`): a step's entry is there once its action succeeded.
 */
export interface StepRun<Input, Results = AnyResults> {
  readonly sagaId: string;
  /** The saga's name. */
  readonly saga: string;
  readonly input: Input;
  /** What the actions of the steps that succeeded returned, by step name (a reservation id, say). */
  readonly results: Results;
  /**
   * Send it as `Idempotency-Key`: `<sagaId>/<step>/action` or `<sagaId>/<step>/compensation`, the
   * same on every retry and after a restart, so the callee recognises a request sent again.
   */
  readonly idempotencyKey: string;
  /** 1 for the first try of this action (or compensation), 2 for its first retry, … */
  readonly attempt: number;
}

export interface SagaStep<Input, Results = AnyResults> {
  readonly name: string;
  /** Does the step; what it returns must be JSON, and is recorded (`results[name]`). */
  action(run: StepRun<Input, Results>): Promise<unknown>;
  /** Undoes a step whose action succeeded, when a later step failed. */
  compensation?(run: StepRun<Input, Results>): Promise<unknown>;
}

export interface SagaDefinition<Input, Results = AnyResults> {
  /** kebab-case, as in the spec: `POST /sagas/<name>`. */
  readonly name: string;
  readonly steps: readonly SagaStep<Input, Results>[];
  /** The JSON Schema of the input, checked by `POST /sagas/<name>`. */
  readonly inputSchema?: object;
}

/**
 * Any saga, whatever its input and results, as a service hosts it: the engine hands each step the
 * input it stored and the results it recorded, which are what the saga's own types say.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySagaDefinition = SagaDefinition<any, any>;

export type SagaState = 'running' | 'completed' | 'compensating' | 'compensated' | 'stuck';

/**
 * `pending` (not tried yet) → `running` (its action is being tried) → `succeeded` or `failed`;
 * a succeeded step with a compensation goes `compensating` → `compensated` when a later step
 * failed; the steps after a failed one become `skipped`.
 */
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'compensating' | 'compensated' | 'skipped';

/** The sagas that are over, or wait for an operator (`stuck`). */
export const SETTLED: ReadonlySet<SagaState> = new Set(['completed', 'compensated', 'stuck']);

export interface HistoryEntry {
  /** ISO 8601. */
  readonly at: string;
  readonly step?: string;
  /**
   * `started`, `step-succeeded`, `step-retrying`, `step-failed`, `compensation-succeeded`,
   * `compensation-retrying`, `compensation-failed`, `completed`, `compensated`, `stuck`,
   * `retried` (by an operator), `resumed` (by another owner, or after a restart).
   */
  readonly event: string;
  readonly error?: string;
}

export interface StepRecord {
  readonly name: string;
  state: StepState;
  /** Tries of the action so far. */
  attempts: number;
  /** Tries of the compensation so far (reset when an operator retries a stuck saga). */
  compensationAttempts: number;
  /** What the action returned (JSON). */
  result?: unknown;
}

/** One saga run as the store keeps it. */
export interface SagaRecord {
  readonly id: string;
  readonly saga: string;
  state: SagaState;
  readonly input: unknown;
  /** The `Idempotency-Key` it was started with. */
  readonly idempotencyKey?: string;
  readonly steps: StepRecord[];
  readonly history: HistoryEntry[];
  /** Bumped by every write: a write based on an older version is refused. */
  version: number;
  readonly createdAt: string;
}

/** What `GET /sagas/<saga>/<id>` answers. */
export interface SagaView {
  readonly id: string;
  readonly saga: string;
  readonly state: SagaState;
  readonly steps: readonly { readonly name: string; readonly state: StepState }[];
  readonly history: readonly HistoryEntry[];
}

export function viewOf(record: SagaRecord): SagaView {
  return {
    id: record.id,
    saga: record.saga,
    state: record.state,
    steps: record.steps.map((s) => ({ name: s.name, state: s.state })),
    history: [...record.history],
  };
}

/**
 * Thrown by a step to fail it at once, without retries: the callee refused (a 4xx), or the step
 * itself found it cannot succeed. Anything else a step throws is taken as transient and retried.
 */
export class StepFailed extends Error {
  constructor(
    message: string,
    /** The callee's status, when it answered one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StepFailed';
  }
}

/**
 * Whether a step's failure is final: `StepFailed`, or a 4xx the callee answered (a `CallError` of
 * an undeclared 4xx, an `HttpError` with a 4xx status). Timeouts, refused connections, an open
 * breaker and 5xx answers are transient. So is an undeclared 409: it may be the callee saying it
 * is still handling an earlier try with the same `Idempotency-Key` (the `CallError` does not keep
 * the body that would tell), and failing the step then would leave an action that completes at the
 * callee uncompensated; a real conflict answers the same again, and fails once retries ran out.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof StepFailed) return true;
  const status = err instanceof CallError ? err.status : err instanceof HttpError ? err.status : undefined;
  if (err instanceof CallError && status === 409) return false;
  return status !== undefined && status >= 400 && status < 500;
}

/**
 * The body of a declared reply when it is a success (2xx); a declared 4xx fails the step at once
 * (`StepFailed`), a declared 5xx (or a 409 `idempotency_key_in_use`) throws an error that is
 * retried. The generated clients return
 * declared errors as replies rather than throwing them, so a step's action ends with this.
 */
export function stepResult(reply: HttpReply, what = 'the call'): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.body ?? null;
  const { message: said, error: code } = (reply.body ?? {}) as { message?: unknown; error?: unknown };
  const message = `${what} answered ${reply.status}${typeof said === 'string' ? `: ${said}` : ''}`;
  // 409 `idempotency_key_in_use`: the callee still handles an earlier try; ask again later.
  const stillHandling = reply.status === 409 && code === KEY_IN_USE;
  if (reply.status >= 400 && reply.status < 500 && !stillHandling) throw new StepFailed(message, reply.status);
  throw new Error(message);
}
