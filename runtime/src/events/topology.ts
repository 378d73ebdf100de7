/**
 * Names and routing shared by both transports (and by the AsyncAPI document microgen exports):
 * a subscription is the durable queue `<service>.<handler>` bound to the exchange with its
 * patterns; a failed message waits in `<queue>.retry.<delay>` (one queue per delay, since a
 * message TTL only expires at the head of a queue) and returns to the queue; a message that
 * cannot be handled ends in `<queue>.dead`, with the reason. A publisher declares the queues
 * (and bindings) of the subscriptions that receive its events as well: a topic exchange drops
 * what no queue is bound for, and the subscriber may not have run yet.
 */

import type { Receiver } from './definition.js';

/** The queue of one subscription. */
export const queueName = (service: string, handler: string): string => `${service}.${handler}`;

/** Where a message waits `delayMs` before it returns to `queue`. */
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${formatDuration(delayMs)}`;

/** The dead-letter queue of a subscription. */
export const deadQueueName = (queue: string): string => `${queue}.dead`;

/** RabbitMQ's topic matching: `*` is exactly one dot-separated word, `#` zero or more. */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return match(i + 1, j) || (j < k.length && match(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `5s`, `1m`, `1h` (a bare number is milliseconds) → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']);
}

/** The inverse for whole units: 1000 → `1s`, 60000 → `1m`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** The default retry delays: three retries, after 1 s, 10 s and 1 min; then the dead-letter queue. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 10_000, 60_000];

/**
 * A list of retry delays: `EVENT_RETRY_DELAYS` (`1s,10s,1m`; empty or `none`: no retries), or
 * another setting of the same form (`SAGA_RETRY_DELAYS`) named with its own default. Throws on a
 * malformed list, naming the setting.
 */
export function parseRetryDelays(text: string | undefined, setting = 'EVENT_RETRY_DELAYS', defaults: readonly number[] = DEFAULT_RETRY_DELAYS_MS): readonly number[] {
  if (text === undefined) return defaults;
  if (text.trim() === '' || text.trim() === 'none') return [];
  return text.split(',').map((part) => {
    const ms = parseDuration(part);
    if (ms === undefined || ms <= 0) throw new Error(`${setting}: "${part.trim()}" is not a duration like 500ms, 10s or 1m`);
    return ms;
  });
}

/** A subscription's queue and its binding keys on the exchange. */
export interface QueueBinding {
  readonly queue: string;
  readonly patterns: readonly string[];
}

/** What one subscription looks like on the broker. */
export interface QueueTopology extends QueueBinding {
  readonly handler: string;
  /** Retry queues in order of use, with their delays. */
  readonly retries: readonly { readonly queue: string; readonly delayMs: number }[];
  readonly dead: string;
}

/** The queues of a service's subscriptions. */
export function subscriptionTopology(service: string, subscriptions: readonly { readonly handler: string; readonly patterns: readonly string[] }[], retryDelaysMs: readonly number[]): QueueTopology[] {
  return subscriptions.map((s) => {
    const queue = queueName(service, s.handler);
    return {
      queue,
      handler: s.handler,
      patterns: s.patterns,
      retries: [...new Set(retryDelaysMs)].map((delayMs) => ({ queue: retryQueueName(queue, delayMs), delayMs })),
      dead: deadQueueName(queue),
    };
  });
}

/**
 * The queues a publisher declares for the subscriptions of other services that receive its
 * events: named as their own service names them, with all their patterns.
 */
export function receiverQueues(receivers: readonly Receiver[]): QueueBinding[] {
  return receivers.map((r) => ({ queue: queueName(r.service, r.handler), patterns: r.patterns }));
}
