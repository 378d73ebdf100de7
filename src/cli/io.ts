/** Where commands write: injectable so tests run commands in-process and read what they said. */
import { paintFor, type Paint } from './paint.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly paint: Paint;
  readonly errPaint: Paint;
  readonly isTTY: boolean;
  readonly cwd: string;
}

export function processIo(): Io {
  // `microgen graph | head`: a reader that goes away early is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    paint: paintFor(process.stdout),
    errPaint: paintFor(process.stderr),
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    cwd: process.cwd(),
  };
}
