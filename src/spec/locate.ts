/**
 * From a path into the spec data (`['services', 'user', 'port']`) back to the text: the
 * line and column of the key or the value. Checks and schema errors speak in paths; only
 * this module knows about YAML nodes.
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { Anchor, SpecPath } from '../model/types.js';
import type { SpecSource } from './source.js';


interface Found {
  node: Node | null;
  pair?: Pair;
  /** How many path elements were found. */
  depth: number;
}

function find(source: SpecSource, path: SpecPath): Found {
  let node: Node | null = source.doc.contents as Node | null;
  let pair: Pair | undefined;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const hit = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!hit) break;
      pair = hit as Pair;
      node = (hit.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      pair = undefined;
      node = node.items[seg] as Node;
    } else {
      break;
    }
    depth++;
  }
  return { node, pair, depth };
}

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The span of `path` in the source. A missing path points at the deepest part that exists,
 * so "`http` is missing" lands on the operation that lacks it.
 */
export function spanOf(source: SpecSource, path: SpecPath, anchor: Anchor = 'value'): Span {
  const found = find(source, path);
  const complete = found.depth === path.length;
  let range: readonly [number, number, number?] | null | undefined;
  if (found.pair && (anchor === 'key' || !complete || found.node === null)) {
    range = (found.pair.key as Node | null)?.range;
  }
  if (!range && found.node) range = found.node.range;
  if (!range) range = [0, 0];
  const start = source.lineCounter.linePos(range[0]);
  const end = source.lineCounter.linePos(range[1]);
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

/** A diagnostic at `path`. */
export function diagnosticAt(
  source: SpecSource,
  path: SpecPath,
  severity: Severity,
  rule: string,
  message: string,
  anchor: Anchor = 'value',
): Diagnostic {
  return { file: source.file, ...spanOf(source, path, anchor), severity, rule, message };
}
