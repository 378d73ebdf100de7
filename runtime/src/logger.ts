/** Structured logs: pino JSON lines on stdout, level from `LOG_LEVEL` (default `info`). */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}
