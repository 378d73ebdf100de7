/**
 * Handling a message once per subscription. A service with PostgreSQL records each handled
 * message id in its inbox table in the handler's own transaction (`outbox.ts`), which holds
 * across restarts; any other service keeps the last ids it handled in memory: a redelivery
 * within that window is skipped, one after a restart (or beyond the window) is handled again.
 */

export interface Deduper {
  /** Whether ids survive a restart (the inbox table) or not (a window in memory). */
  readonly durable: boolean;
  /**
   * Runs `work` unless `consumer` already handled `messageId`: true when it ran (and
   * succeeded), false for a duplicate. A throw from `work` is rethrown and nothing is recorded.
   */
  once(consumer: string, messageId: string, work: () => Promise<void>): Promise<boolean>;
}

/** How many handled ids per process the in-memory window keeps. */
export const DEDUPE_WINDOW = 100_000;

export function memoryDeduper(limit: number = DEDUPE_WINDOW): Deduper {
  // A Set keeps insertion order: the first entry is the oldest.
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const once = async (consumer: string, messageId: string, work: () => Promise<void>): Promise<boolean> => {
    const key = `${consumer}\u0000${messageId}`;
    for (;;) {
      if (done.has(key)) return false;
      const inHand = running.get(key);
      if (!inHand) break;
      // The same message is being handled (a redelivery overtook the first copy): wait for its outcome.
      await inHand.catch(() => undefined);
    }
    const attempt = work();
    running.set(key, attempt);
    try {
      await attempt;
      done.add(key);
      if (done.size > limit) done.delete(done.values().next().value as string);
      return true;
    } finally {
      running.delete(key);
    }
  };
  return { durable: false, once };
}
