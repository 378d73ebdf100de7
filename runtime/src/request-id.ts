/**
 * Request ids: an incoming `x-request-id` is kept when it is a sane token (so one id follows a
 * request through the gateway and every service it reaches); otherwise a new one is made from
 * this process's random prefix and a counter, unique across instances and cheap to make.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const PREFIX = randomBytes(6).toString('hex');
let last = 0;

/** A fresh id: `<process prefix>-<counter in base 36>`. */
export function newRequestId(): string {
  last = (last + 1) & 0x7fffffff;
  return `${PREFIX}-${last.toString(36)}`;
}

/** The caller's id when it sent a sane one, else a fresh one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE.test(given) ? given : newRequestId();
}

const current = new AsyncLocalStorage<string>();

/**
 * Runs `work` with `id` as the request in hand, so what it publishes carries the id of the
 * request (or event) that caused it. Only services with events use it: async context tracking
 * costs an HTTP route a little.
 */
export function withRequestId<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

/** The id of the request or event being handled, if any. */
export function currentRequestId(): string | undefined {
  return current.getStore();
}
