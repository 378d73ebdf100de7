import { createHash } from 'node:crypto';

/** sha256 of LF-normalised text: a checkout with CRLF line endings is not an edit. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}
