/**
 * How services call each other: a timeout per attempt, retries with jittered backoff and a
 * circuit breaker per callee (cockatiel). A call ends in a declared `{ status, body }` reply, a
 * fallback's answer, or a CallError.
 */
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  DelegateBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
  type RetryPolicy as CockatielRetry,
} from 'cockatiel';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from '../request-id.js';
import { IDEMPOTENCY_KEY_HEADER, KEY_IN_USE } from '../service/idempotency.js';
import { CallError } from './call-error.js';
import type { Endpoint } from './endpoint.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly backoff: 'exponential' | 'fixed';
  readonly minMs: number;
  readonly maxMs: number;
}

export interface BreakerPolicy {
  /** Consecutive failed attempts that open the breaker. */
  readonly failMax: number;
  /** How long it stays open before one probe is let through. */
  readonly resetTimeoutMs: number;
}

/** The spec's `timeout`, `retry` and `breaker` of one callee, in milliseconds. */
export interface CallPolicy {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly breaker: BreakerPolicy;
}

/** One operation of a callee, as a generated client names it. */
export interface ClientOperation {
  readonly name: string;
  readonly method: string;
  /** The path as the spec writes it: `/users/{id}`. */
  readonly path: string;
  /** The statuses the spec declares for this operation: anything else is a failed call. */
  readonly statuses: readonly number[];
}

/** What a call sends. The generated `…Call` types narrow each part. */
export interface ClientRequest {
  /** Values of the path's `{param}`s, encoded into it. */
  readonly params?: object;
  readonly query?: object;
  readonly body?: unknown;
  /** Sent as `x-request-id`, to follow a request across services. */
  readonly requestId?: string;
  /**
   * Sent as `Idempotency-Key`: the callee runs its handler once per key and answers a repeated key
   * with the recorded reply, so a keyed call is retried even when its method is not idempotent.
   */
  readonly idempotencyKey?: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A reply as the generated clients type it: one member of the operation's `{ status, body }` union. */
export interface HttpReply {
  readonly status: number;
  readonly body?: unknown;
}

/** Errors where the request never reached the callee: retried even for methods that are not idempotent. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EDISCOVERY']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** One attempt's failure, before the policies have decided what it means. */
class AttemptError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'unavailable',
    readonly unsent: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AttemptError';
  }
}

/** The first `code` along an error's causes (fetch wraps the socket's error in `cause`). */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e.cause !== undefined && e.cause !== err ? errorCode(e.cause) : undefined;
}

/** A failure the breaker counts: an attempt that failed, or a server error. */
const isServerError = (reply: unknown): boolean => (reply as HttpReply).status >= 500;

/** The callee is still handling an earlier attempt with the same `Idempotency-Key`: worth another try, not a failure. */
const isKeyInUse = (reply: unknown): boolean => {
  const { status, body } = reply as HttpReply;
  return status === 409 && (body as { error?: unknown } | undefined)?.error === KEY_IN_USE;
};

const hasIdempotencyKey = ({ idempotencyKey, headers }: ClientRequest): boolean =>
  idempotencyKey !== undefined || Object.keys(headers ?? {}).some((name) => name.toLowerCase() === IDEMPOTENCY_KEY_HEADER);

/**
 * Retry delays between `minMs` and `maxMs`: exponential doubles from `minMs` with "equal
 * jitter" (a random point in the upper half of the step); fixed waits `minMs` plus up to 20%.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const { minMs, maxMs } = policy;
  if (policy.backoff === 'fixed') return Math.min(maxMs, minMs + random() * minMs * 0.2);
  const step = Math.min(maxMs, minMs * 2 ** (attempt - 1));
  return Math.max(minMs, Math.min(maxMs, step / 2 + (random() * step) / 2));
}

/** `/users/{id}` with `{ id: 7 }` → `/users/7`; every value is URI-encoded, so it stays one segment. */
export function fillPath(path: string, params: object | undefined): string {
  const values = (params ?? {}) as Record<string, unknown>;
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null) throw new TypeError(`path parameter ${name} of ${path} is missing`);
    return encodeURIComponent(String(value));
  });
}

export function queryString(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls one callee. The retry policy wraps the breaker, so every attempt counts towards
 * `failMax`, and an open breaker fails the call at once without touching the network.
 */
export class ServiceCaller {
  readonly breaker: CircuitBreakerPolicy;
  private readonly retryAll: CockatielRetry;
  private readonly retryUnsent: CockatielRetry;
  private readonly retryKeyed: CockatielRetry;

  constructor(
    readonly service: string,
    private readonly policy: CallPolicy,
    private readonly endpoint: Endpoint,
    private readonly logger: Logger,
  ) {
    const failure = handleWhen((err) => err instanceof AttemptError).orWhenResult(isServerError);
    this.breaker = circuitBreaker(failure, {
      halfOpenAfter: policy.breaker.resetTimeoutMs,
      breaker: new ConsecutiveBreaker(policy.breaker.failMax),
    });
    this.breaker.onBreak(() => logger.warn({ callee: service }, `circuit to ${service} opened`));
    this.breaker.onHalfOpen(() => logger.info({ callee: service }, `circuit to ${service} half-open: probing`));
    this.breaker.onReset(() => logger.info({ callee: service }, `circuit to ${service} closed`));
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => retryDelay(policy.retry, context.attempt));
    const options = { maxAttempts: Math.max(0, policy.retry.attempts - 1), backoff };
    this.retryAll = retry(failure, options);
    this.retryKeyed = retry(handleWhen((err) => err instanceof AttemptError).orWhenResult((reply) => isServerError(reply) || isKeyInUse(reply)), options);
    this.retryUnsent = retry(
      handleWhen((err) => err instanceof AttemptError && err.unsent),
      options,
    );
  }

  /**
   * One call with the policies around it. `Reply` is the operation's declared reply union: the
   * status was checked against `operation.statuses`, and the body is what the callee's own schema
   * serialised. With a `fallback`, a CallError goes to it instead of the caller.
   */
  async call<Reply extends HttpReply>(operation: ClientOperation, request: ClientRequest, fallback?: (error: CallError) => Promise<Reply>): Promise<Reply> {
    try {
      return (await this.send(operation, request)) as Reply;
    } catch (err) {
      if (fallback && err instanceof CallError) return fallback(err);
      throw err;
    }
  }

  private async send(operation: ClientOperation, request: ClientRequest): Promise<HttpReply> {
    // A request with an `Idempotency-Key` (sent unchanged on every attempt) runs once at the
    // callee however often it arrives, so it is retried whatever its method.
    const policy = hasIdempotencyKey(request) ? this.retryKeyed : IDEMPOTENT.has(operation.method) ? this.retryAll : this.retryUnsent;
    let reply: HttpReply;
    try {
      reply = await policy.execute(() => this.breaker.execute(() => this.attempt(operation, request)));
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new CallError(this.service, operation.name, 'breaker-open', `${this.service} is unavailable: its circuit breaker is open`, undefined, { cause: err });
      }
      if (err instanceof AttemptError) {
        this.logger.warn({ callee: this.service, operation: operation.name, reason: err.reason }, `call to ${this.service}.${operation.name} failed: ${err.message}`);
        throw new CallError(this.service, operation.name, err.reason, err.message, undefined, { cause: err });
      }
      throw err;
    }
    if (operation.statuses.includes(reply.status)) return reply;
    this.logger.warn({ callee: this.service, operation: operation.name, status: reply.status }, `call to ${this.service}.${operation.name} answered an undeclared status`);
    throw new CallError(this.service, operation.name, 'bad-status', `${this.service}.${operation.name} answered ${reply.status}, which the spec does not declare`, reply.status);
  }

  private async attempt(operation: ClientOperation, request: ClientRequest): Promise<HttpReply> {
    let base: string;
    try {
      base = await this.endpoint.url();
    } catch (err) {
      throw new AttemptError('unavailable', true, `cannot locate ${this.service}: ${(err as Error).message}`, { cause: err });
    }
    const url = `${base.replace(/\/+$/, '')}${fillPath(operation.path, request.params)}${queryString(request.query)}`;
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.requestId) headers[REQUEST_ID_HEADER] = request.requestId;
    if (request.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = request.idempotencyKey;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.policy.timeoutMs);
    try {
      const res = await fetch(url, { method: operation.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body), signal });
      const text = await res.text();
      const json = text !== '' && (res.headers.get('content-type') ?? '').includes('json');
      return json ? { status: res.status, body: JSON.parse(text) as unknown } : { status: res.status };
    } catch (err) {
      if (signal.aborted) throw new AttemptError('timeout', false, `${this.service}.${operation.name} timed out after ${this.policy.timeoutMs}ms`, { cause: err });
      const code = errorCode(err);
      this.endpoint.failed?.(base);
      throw new AttemptError('network', code !== undefined && UNSENT_CODES.has(code), `${this.service}.${operation.name} failed: ${code ?? (err as Error).message}`, { cause: err });
    }
  }
}
