// A namespace import: `hash` is missing before Node 20.12, and a named import of it would not link there.
import * as crypto from 'node:crypto';

/**
 * One-shot hashing (Node ≥ 20.12) skips the Hash object per call: a cold generate hashes
 * ~1,700 files. Older Nodes take the streaming API.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256 of LF-normalised text: a checkout with CRLF line endings is not an edit. */
export function contentHash(text: string): string {
  return sha256Hex(text.includes('\r') ? text.replace(/\r\n/g, '\n') : text);
}
