/** Why a call to another service produced no declared reply. */
export type CallFailure = 'breaker-open' | 'timeout' | 'network' | 'unavailable' | 'bad-status';

/**
 * A call to another service that failed for good: after its retries, or at once while the
 * callee's circuit breaker is open. Uncaught in a handler, it answers 503 (breaker open, callee
 * not found), 504 (timeout) or 502 (anything else).
 */
export class CallError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly reason: CallFailure,
    message: string,
    /** The callee's status, when it answered one the spec does not declare. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CallError';
  }

  /** The status a service answers when a handler lets this error out. */
  get replyStatus(): 502 | 503 | 504 {
    if (this.reason === 'breaker-open' || this.reason === 'unavailable') return 503;
    return this.reason === 'timeout' ? 504 : 502;
  }
}
