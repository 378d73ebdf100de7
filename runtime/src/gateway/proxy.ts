/**
 * What the gateway changes on the way through: hop-by-hop headers dropped both ways (RFC 9110
 * §7.6.1), `X-Forwarded-*` and the request id set on the way in, and an upstream that fails
 * turned into a 502 or 504 in the `Error` shape.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { REQUEST_ID_HEADER } from '../request-id.js';

/** Headers about one connection, never forwarded; plus those a header `Connection` lists. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/** Removes the hop-by-hop headers (in place) and returns the headers object. */
function dropHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = headers.connection;
  if (typeof listed === 'string') for (const name of listed.split(',')) delete headers[name.trim().toLowerCase()];
  for (const name of HOP_BY_HOP) delete headers[name];
  return headers;
}

/** What the headers are made from: the parts of a Fastify request they need. */
export interface IncomingRequest {
  readonly id: string;
  readonly ip: string;
  readonly protocol: string;
  readonly host: string;
  readonly socket: { readonly remoteAddress?: string | undefined };
}

export interface ForwardedFrom {
  /** Trust the client's own `X-Forwarded-*` (`TRUST_PROXY`: the gateway sits behind a proxy). */
  readonly trustProxy: boolean;
  /** The prefix `stripPath` removed, for `X-Forwarded-Prefix`. */
  readonly strippedPrefix?: string;
}

/**
 * The headers sent upstream. `Expect` goes too: Node has already answered `100-continue`.
 * Behind no trusted proxy a client's `X-Forwarded-For` is its own invention, so it is replaced
 * by the address the request came from, as Kong does; behind one, that address is appended.
 */
export function upstreamHeaders(request: IncomingRequest, headers: IncomingHttpHeaders, from: ForwardedFrom): IncomingHttpHeaders {
  dropHopByHop(headers);
  delete headers.expect;
  const peer = request.socket.remoteAddress ?? request.ip;
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = from.trustProxy && forwardedFor ? `${forwardedFor}, ${peer}` : peer;
  headers['x-forwarded-proto'] = request.protocol;
  headers['x-forwarded-host'] = request.host;
  if (from.strippedPrefix !== undefined && from.strippedPrefix !== '') headers['x-forwarded-prefix'] = from.strippedPrefix;
  else delete headers['x-forwarded-prefix'];
  headers[REQUEST_ID_HEADER] = request.id;
  return headers;
}

/** The upstream's response headers as the client receives them. */
export function clientHeaders(headers: IncomingHttpHeaders, request: Pick<IncomingRequest, 'id'>): IncomingHttpHeaders {
  dropHopByHop(headers);
  headers[REQUEST_ID_HEADER] = request.id;
  return headers;
}

/** Network failures that mean "nothing answered there". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMED_OUT = new Set(['FST_REPLY_FROM_GATEWAY_TIMEOUT', 'FST_REPLY_FROM_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The codes of an error and of its causes (reply-from wraps undici's error). */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}

export interface ProxyFailure {
  readonly status: 502 | 504;
  readonly message: string;
  /** True when nothing answered at that address (worth trying another instance next time). */
  readonly unreachable: boolean;
}

/** What a failed forward means for the client. */
export function proxyFailure(err: unknown, upstream: string, timeoutMs: number): ProxyFailure {
  const codes = codesOf(err);
  if (codes.some((c) => TIMED_OUT.has(c))) return { status: 504, message: `${upstream} did not answer within ${timeoutMs}ms`, unreachable: false };
  const unreachable = codes.find((c) => UNREACHABLE.has(c));
  if (unreachable) return { status: 502, message: `${upstream} is not reachable (${unreachable})`, unreachable: true };
  return { status: 502, message: `${upstream} failed to answer (${codes[codes.length - 1] ?? (err as Error).message})`, unreachable: false };
}
