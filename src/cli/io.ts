/** Where commands write: injectable so tests run commands in-process and read what they said. */
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ensureDir } from '../apply/fsx.js';
import { paintFor, type Paint } from '../util/paint.js';
import { UsageError } from './errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly paint: Paint;
  readonly errPaint: Paint;
  readonly isTTY: boolean;
  readonly cwd: string;
}

/** `s` as one word of a POSIX shell command the user can paste (quoted only when it must be). */
export const shellWord = (s: string): string => (/^[A-Za-z0-9_./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The process's own output: colours only where the stream is a terminal (paint.ts). */
export function processIo(): Io {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', readerGone);
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    paint: paintFor(process.stdout),
    errPaint: paintFor(process.stderr),
    isTTY: process.stdout.isTTY === true && process.stdin.isTTY === true,
    cwd: process.cwd(),
  };
}

/** `microgen graph | head`: a reader that goes away early is not an error worth a stack trace. */
function readerGone(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
}

/** Writes `text` to `out` (relative to the working folder), creating its folder; returns the path to show. */
export function writeOutput(io: Io, out: string, text: string): string {
  const path = resolve(io.cwd, out);
  try {
    ensureDir(dirname(path));
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
