/** Where commands write: injectable so tests run commands in-process and read what they said. */
import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { paintFor, type Paint } from './paint.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly paint: Paint;
  readonly errPaint: Paint;
  readonly isTTY: boolean;
  readonly cwd: string;
}

const require = createRequire(import.meta.url);

/**
 * The process's own output. Writing to the file descriptors directly, and asking whether they
 * are terminals without `process.stdout`, keeps Node from loading its stream, socket and
 * terminal modules (~30 of them, ~5 ms) on every run whose output is a pipe or a file.
 */
export function processIo(): Io {
  return {
    out: fdWriter(1, () => process.stdout),
    err: fdWriter(2, () => process.stderr),
    paint: paintFor({ isTTY: isTerminal(1) }),
    errPaint: paintFor({ isTTY: isTerminal(2) }),
    isTTY: isTerminal(1) && isTerminal(0),
    cwd: process.cwd(),
  };
}

/** A terminal is a character device; only then is `tty` (which loads `net`) asked. */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // closed
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Writes whole texts to `fd`. A descriptor another process left non-blocking can refuse with
 * EAGAIN when its pipe is full: from then on the stream (which waits for the pipe) takes over,
 * so the order of what was said is kept.
 */
function fdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let viaStream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (viaStream) {
      viaStream.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(fd, bytes, at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') readerGone();
      if (code !== 'EAGAIN') throw err;
      viaStream = stream();
      viaStream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') readerGone();
        throw e;
      });
      viaStream.write(bytes.subarray(at));
    }
  };
}

/** `microgen graph | head`: a reader that goes away early is not an error worth a stack trace. */
function readerGone(): never {
  process.exit(process.exitCode ?? 0);
}
