/**
 * Running something (a service, the gateway, a whole system) as this process: read `.env`,
 * start, stop gracefully on SIGTERM/SIGINT. A start-up failure is one line on stderr and exit
 * code 1, never a stack trace.
 */
import { loadDotEnv } from './env.js';
import type { Logger } from './logger.js';
import { StartError, stopOnSignals } from './service/service.js';

export async function startAsProcess<T extends { stop(): Promise<void> }>(name: string, logger: (running: T) => Logger, run: () => Promise<T>): Promise<T> {
  loadDotEnv();
  try {
    const running = await run();
    stopOnSignals(running.stop, logger(running));
    return running;
  } catch (err) {
    process.stderr.write(`${err instanceof StartError ? err.message : `${name} failed to start: ${(err as Error).message}`}\n`);
    process.exit(1);
  }
}
