/** A pino logger whose lines the test can read. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export function captureLogger(name = 'test'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const logger = pino({ name, level: 'debug' }, stream);
  return {
    logger,
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
