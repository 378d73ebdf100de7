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
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    paint: paintFor(process.stdout),
    errPaint: paintFor(process.stderr),
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    cwd: process.cwd(),
  };
}
