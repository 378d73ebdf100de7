/** Placing changes in a file: the new spec when the thing exists there, else the old one. */
import { spanOf } from '../spec/locate.js';
import type { SpecSource } from '../spec/source.js';
import type { Change, RawChange } from './change.js';

export function locateChanges(changes: readonly RawChange[], oldSource: SpecSource, newSource: SpecSource): Change[] {
  return changes.map((c) => {
    const source = c.at.side === 'new' ? newSource : oldSource;
    // Removed things point at their key; changed ones at the key too (a value may span lines).
    const span = spanOf(source, c.at.path, 'key');
    return { kind: c.kind, severity: c.severity, message: c.message, where: c.where, file: source.file, line: span.line, column: span.column };
  });
}
