/**
 * Reading a spec from the disk, bounded: at most MAX_SPEC_BYTES + 1 bytes are read, whatever the
 * path is (a regular file, /dev/urandom, a FIFO fed forever), so memory stays bounded.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_SPEC_BYTES } from './source.js';

export class SpecTooLarge extends Error {
  /** `size`: the file's size when known (a regular file), else reading stopped at the limit. */
  constructor(readonly size: number | undefined) {
    super(size === undefined ? `it goes on past ${MAX_SPEC_BYTES} bytes (reading stopped there); specs are limited to ${MAX_SPEC_BYTES} bytes` : `it is ${size} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes`);
  }
}

/** The file's bytes; throws `SpecTooLarge` past the limit and the system's error when unreadable. */
export function readSpecFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > MAX_SPEC_BYTES) throw new SpecTooLarge(st.size);
    // Room for the whole of a regular file (and one byte to see it end); a stream grows it.
    let buffer = Buffer.allocUnsafe(st.isFile() ? st.size + 1 : 64 * 1024);
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(buffer.length, MAX_SPEC_BYTES + 1 - length))]);
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking pipe with nothing yet
        throw err;
      }
      if (n === 0) break;
      length += n;
      if (length > MAX_SPEC_BYTES) throw new SpecTooLarge(undefined);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
