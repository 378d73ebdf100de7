/**
 * What a delivery means, decided once for both transports: a message without an id or name,
 * with JSON that does not parse, or with a payload its event's schema rejects, goes to the
 * dead-letter queue at once (retrying cannot mend it); a duplicate is acknowledged without
 * running the handler; a handler that throws is retried after the next delay, and dead-lettered
 * with its error once the delays are used up. Nothing here throws: a consumer never crashes.
 */
import type { Logger } from 'pino';
import { withRequestId } from '../request-id.js';
import type { Deduper } from './dedupe.js';
import type { EventMessage } from './message.js';
import type { PayloadCheck } from './schemas.js';
import type { Delivery, DeliveryHandler, Outcome } from './transport.js';

export interface ConsumerOptions {
  readonly queue: string;
  readonly handler: string;
  /** Checks by event name: the events this subscription may receive. */
  readonly checks: ReadonlyMap<string, PayloadCheck>;
  readonly retryDelaysMs: readonly number[];
  readonly dedupe: Deduper;
  readonly logger: Logger;
  /** Calls the user's handler method. */
  readonly call: (message: EventMessage<string, unknown>) => Promise<void>;
  /**
   * Make the message's request id current while the handler runs, for what it publishes. Only a
   * service that publishes needs it (async context tracking costs every delivery a little).
   */
  readonly trackRequestId: boolean;
}

/** Why a delivery cannot be handled at all, or undefined with the message it carries. */
function decode(delivery: Delivery, checks: ReadonlyMap<string, PayloadCheck>): { message: EventMessage<string, unknown> } | { malformed: string } {
  const { id, name } = delivery;
  if (!id) return { malformed: 'malformed: the message has no message id' };
  if (!name) return { malformed: 'malformed: the message has no event name (AMQP type)' };
  const check = checks.get(name);
  if (!check) return { malformed: `malformed: ${name} is not an event this subscription receives` };
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.body);
  } catch (err) {
    return { malformed: `malformed: the body is not JSON (${(err as Error).message})` };
  }
  const problem = check(payload);
  if (problem) return { malformed: `invalid payload of ${name}: ${problem}` };
  return {
    message: {
      id,
      name,
      version: delivery.version ?? 1,
      payload,
      attempt: delivery.attempt,
      ...(delivery.requestId !== undefined ? { requestId: delivery.requestId } : {}),
    },
  };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function deliveryHandler(options: ConsumerOptions): DeliveryHandler {
  const { queue, handler, checks, retryDelaysMs, dedupe, logger } = options;
  return async (delivery): Promise<Outcome> => {
    const decoded = decode(delivery, checks);
    if ('malformed' in decoded) {
      logger.error({ queue, messageId: delivery.id, event: delivery.name }, `${decoded.malformed}; dead-lettered`);
      return { kind: 'dead', reason: decoded.malformed };
    }
    const { message } = decoded;
    const log = { queue, event: message.name, messageId: message.id, attempt: message.attempt };
    try {
      const handle = (): Promise<boolean> => dedupe.once(queue, message.id, () => options.call(message));
      const ran = await (options.trackRequestId ? withRequestId(message.requestId ?? message.id, handle) : handle());
      if (!ran) logger.info(log, `${message.name} ${message.id} was already handled; skipped`);
      return { kind: 'ack' };
    } catch (err) {
      const reason = `${handler} failed: ${errorText(err)}`;
      const delayMs = retryDelaysMs[message.attempt - 1];
      if (delayMs === undefined) {
        logger.error({ ...log, err }, `${reason}; dead-lettered after ${message.attempt} attempt(s)`);
        return { kind: 'dead', reason: `${reason} (after ${message.attempt} attempt(s))` };
      }
      logger.warn({ ...log, err: { message: errorText(err) } }, `${reason}; retrying in ${delayMs}ms`);
      return { kind: 'retry', delayMs, reason };
    }
  };
}
