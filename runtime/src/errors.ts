/**
 * The `Error` shape every service and the gateway answer with (`{ error, message }`, SPEC §2),
 * and the exceptions that handlers throw to choose a status.
 */

/** The body of every error reply: a stable machine-readable code and a sentence for people. */
export interface ErrorBody {
  error: string;
  message: string;
}

/** Codes for the statuses the runtime itself answers; others fall back to `error`. */
const CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'gateway_timeout',
};

/** The `error` code of a status (`404` → `not_found`). */
export function errorCode(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal' : 'error');
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error: errorCode(status), message };
}

/**
 * Thrown by a handler (or the runtime) to answer with a status and the `Error` shape. Handlers
 * usually return a declared reply instead; this is for the undeclared cases a library raises.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = errorCode(status),
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** Thrown by handler stubs: the service answers 501 until you implement the handler. */
export class NotImplemented extends HttpError {
  constructor(readonly handler: string) {
    super(501, `${handler} is not implemented yet`, 'not_implemented');
    this.name = 'NotImplemented';
  }
}
