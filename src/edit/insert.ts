/**
 * Text-preserving insertion into a YAML document: add one entry to a map, or one item to a
 * sequence, at a path — and change nothing else in the file.
 *
 * Why splice text instead of `doc.toString()`: the yaml library re-stringifies the whole
 * document on output, which keeps comments but not the author's layout (flow maps become
 * re-spaced, quoting is normalised, blank lines and comment placement drift). Instead the
 * parsed Document is used only to *locate* things — node ranges give the exact offsets of
 * every key and value — and the new entry, rendered on its own by the yaml stringifier, is
 * spliced into the original text at a line boundary with the indentation of its siblings.
 * Every byte outside the inserted lines stays as it was (the exceptions are listed on
 * `insertEntry`). After splicing, the new text is parsed again and its data compared with
 * the old data plus the entry: if anything else differs, the edit is refused.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  YAMLMap,
  YAMLSeq,
  type Node,
} from 'yaml';

/** Marks a value to be written in flow style (`{ a: string }`, `[x, y]`). */
export class Flow {
  constructor(readonly value: Value) {}
}

/** What can be inserted: scalars, ordered maps (`Map` keeps key order), lists, and `Flow`. */
export type Value = string | number | boolean | null | Map<string | number, Value> | Value[] | Flow;

export class EditError extends Error {}

export interface InsertRequest {
  /** Keys from the root to the map that receives `key`, or to the sequence that receives an item. Missing maps on the way are created. */
  readonly path: readonly string[];
  /** The new key; omit to append `value` to the sequence at `path` (created when missing). */
  readonly key?: string | number;
  readonly value: Value;
  /** The preferred key order of the map at a path (used to place a key that has to be created); undefined: append. */
  readonly order?: (path: readonly string[]) => readonly string[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Text geometry

class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  get count(): number {
    return this.starts.length;
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  colOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset)];
  }
  /** Line `i` without its line ending. */
  line(i: number): string {
    const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.text.length;
    return this.text.slice(this.starts[i], end).replace(/\r?\n$/, '');
  }
  /** Offset of the start of line `i` (the end of the text past the last line). */
  start(i: number): number {
    return i < this.starts.length ? this.starts[i] : this.text.length;
  }
}

const isBlank = (line: string): boolean => line.trim() === '';
const indentOf = (line: string): number => line.length - line.trimStart().length;
const isComment = (line: string): boolean => line.trimStart().startsWith('#');

// ---------------------------------------------------------------------------------------------
// The file's style: indentation unit, whether sequences are indented under their key, line ending

interface Style {
  unit: number;
  indentSeq: boolean;
  eol: string;
}

function detectStyle(doc: Document.Parsed, lines: Lines): Style {
  const units = new Map<number, number>();
  let seqIndented = 0;
  let seqFlush = 0;
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (!node.flow && key?.range && value?.range && (isMap(value) || isSeq(value)) && !value.flow && value.items.length) {
          const keyCol = lines.colOf(key.range[0]);
          if (isMap(value)) {
            const first = (value.items[0] as Pair).key as Node | null;
            if (first?.range) {
              const d = lines.colOf(first.range[0]) - keyCol;
              if (d > 0) units.set(d, (units.get(d) ?? 0) + 1);
            }
          } else {
            const dash = dashOffset(lines.text, value.items[0] as Node);
            if (dash !== undefined) {
              if (lines.colOf(dash) > keyCol) seqIndented++;
              else seqFlush++;
            }
          }
        }
        walk(value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  let unit = 2;
  let best = 0;
  for (const [d, n] of units) if (n > best || (n === best && d < unit)) [unit, best] = [d, n];
  const crlf = (lines.text.match(/\r\n/g) ?? []).length;
  const lf = (lines.text.match(/\n/g) ?? []).length - crlf;
  return { unit, indentSeq: seqIndented >= seqFlush, eol: crlf > lf ? '\r\n' : '\n' };
}

/** Offset of the `-` that introduces a block sequence item. */
function dashOffset(text: string, item: Node | null): number | undefined {
  if (!item?.range) return undefined;
  let i = item.range[0] - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === '-' ? i : undefined;
}

// ---------------------------------------------------------------------------------------------
// Rendering a value on its own with the yaml stringifier

function toNode(doc: Document, v: Value, flow = false): Node {
  if (v instanceof Flow) return toNode(doc, v.value, true);
  if (v instanceof Map) {
    const m = new YAMLMap();
    m.flow = flow;
    for (const [k, x] of v) m.items.push(new Pair(doc.createNode(k), toNode(doc, x, flow)));
    return m;
  }
  if (Array.isArray(v)) {
    const s = new YAMLSeq();
    s.flow = flow;
    for (const x of v) s.items.push(toNode(doc, x, flow));
    return s;
  }
  return doc.createNode(v) as Node;
}

function render(root: YAMLMap | YAMLSeq, doc: Document, style: Style): string {
  doc.contents = root;
  return doc.toString({ indent: style.unit, indentSeq: style.indentSeq, lineWidth: 0, minContentWidth: 0 });
}

/** `key: value` (a map entry) or `- value` (a sequence item), as block lines indented by `col`, each ending in the file's line ending. */
function blockLines(entry: { key?: string | number; value: Value }, col: number, style: Style, seqOffset?: number): string {
  const doc = new Document();
  let root: YAMLMap | YAMLSeq;
  if (entry.key === undefined) {
    root = new YAMLSeq();
    root.items.push(toNode(doc, entry.value));
  } else {
    root = new YAMLMap();
    root.items.push(new Pair(doc.createNode(entry.key), toNode(doc, entry.value)));
  }
  const pad = ' '.repeat(col);
  let rendered = render(root, doc, style).replace(/\n$/, '').split('\n');
  if (entry.key === undefined && seqOffset !== undefined && seqOffset > 2 && rendered[0].startsWith('- ')) {
    // Match the list's own spacing after the dash (`-   path: /a`): shift the whole item right.
    const extra = ' '.repeat(seqOffset - 2);
    rendered = rendered.map((l, i) => (i === 0 ? `-${' '.repeat(seqOffset - 1)}${l.slice(2)}` : l === '' ? l : extra + l));
  }
  return rendered.map((l) => (l === '' ? '' : pad + l) + style.eol).join('');
}

/** `key: value` or `value` in flow style, for a flow collection. */
function flowText(entry: { key?: string | number; value: Value }, style: Style): string {
  const doc = new Document();
  const root = entry.key === undefined ? new YAMLSeq() : new YAMLMap();
  root.flow = true;
  if (entry.key === undefined) (root as YAMLSeq).items.push(toNode(doc, entry.value, true));
  else (root as YAMLMap).items.push(new Pair(doc.createNode(entry.key), toNode(doc, entry.value, true)));
  const s = render(root, doc, style).trim();
  return s.slice(1, -1).trim();
}

// ---------------------------------------------------------------------------------------------
// Where an item's text ends

/**
 * The offset where a new sibling goes after `node` (a map pair or a sequence item): the start
 * of the line after its last line of content, also past comment lines indented deeper than
 * the siblings (they belong to the item, e.g. a commented-out field), but before blank lines
 * and comments at the siblings' level or above (they introduce what comes next).
 */
function afterItem(lines: Lines, contentEnd: number, siblingCol: number): number {
  let next = lines.lineOf(Math.max(0, contentEnd - 1)) + 1;
  for (let j = next; j < lines.count; j++) {
    const l = lines.line(j);
    if (isBlank(l)) continue;
    if (isComment(l) && indentOf(l) > siblingCol) {
      next = j + 1;
      continue;
    }
    break;
  }
  return lines.start(next);
}

function contentEndOfPair(pair: Pair): number {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  return Math.max(key?.range?.[1] ?? 0, value?.range?.[1] ?? 0);
}

/** Whether siblings are separated by blank lines (most gaps between them contain one). */
function blankSeparated(lines: Lines, starts: number[], ends: number[]): boolean {
  let blank = 0;
  for (let i = 1; i < starts.length; i++) {
    const from = lines.lineOf(Math.max(0, ends[i - 1] - 1)) + 1;
    const to = lines.lineOf(starts[i]);
    for (let j = from; j < to; j++) {
      if (isBlank(lines.line(j))) {
        blank++;
        break;
      }
    }
  }
  return starts.length > 1 && blank * 2 > starts.length - 1;
}

// ---------------------------------------------------------------------------------------------
// The primitive edits

interface Splice {
  at: number;
  /** Characters removed at `at` before inserting. */
  remove?: number;
  insert: string;
}

function keyName(pair: unknown): string | undefined {
  if (!isPair(pair)) return undefined;
  const k = pair.key as Node | null;
  return isScalar(k) ? String(k.value) : undefined;
}

function addToBlockMap(lines: Lines, map: YAMLMap, mapPath: readonly string[], key: string | number, value: Value, style: Style, order: InsertRequest['order']): Splice {
  const pairs = map.items as Pair[];
  const keyStarts = pairs.map((p) => (p.key as Node).range![0]);
  const ends = pairs.map(contentEndOfPair);
  const col = lines.colOf(keyStarts[0]);
  const blank = blankSeparated(lines, keyStarts, ends);
  // Where in the preferred order does the key go? After the last sibling that precedes it.
  const preferred = order?.(mapPath);
  let after = pairs.length - 1;
  if (preferred?.includes(String(key))) {
    const rank = (p: Pair): number => {
      const i = preferred.indexOf(keyName(p) ?? '');
      return i < 0 ? -1 : i;
    };
    const mine = preferred.indexOf(String(key));
    const firstLater = pairs.findIndex((p) => rank(p) > mine);
    if (firstLater >= 0) after = firstLater - 1;
  }
  const text = blockLines({ key, value }, col, style);
  if (after < 0) {
    // Before the first key, and before the comment lines directly above it.
    let line = lines.lineOf(keyStarts[0]);
    while (line > 0 && isComment(lines.line(line - 1)) && indentOf(lines.line(line - 1)) === col) line--;
    return { at: lines.start(line), insert: text + (blank ? style.eol : '') };
  }
  const at = afterItem(lines, ends[after], col);
  const lead = at === lines.text.length && lines.text.length > 0 && !lines.text.endsWith('\n') ? style.eol : '';
  return { at, insert: lead + (blank ? style.eol : '') + text };
}

function addToBlockSeq(lines: Lines, seq: YAMLSeq, value: Value, style: Style): Splice {
  const items = seq.items as Node[];
  const dashes = items.map((n) => dashOffset(lines.text, n));
  if (dashes.some((d) => d === undefined)) throw new EditError('cannot find where the list items start');
  const starts = dashes as number[];
  const ends = items.map((n) => n.range![1]);
  const col = lines.colOf(starts[0]);
  const blank = blankSeparated(lines, starts, ends);
  const at = afterItem(lines, ends[ends.length - 1], col);
  const lead = at === lines.text.length && lines.text.length > 0 && !lines.text.endsWith('\n') ? style.eol : '';
  const first = items[0].range![0];
  const offset = lines.lineOf(first) === lines.lineOf(starts[0]) ? lines.colOf(first) - col : undefined;
  return { at, insert: lead + (blank ? style.eol : '') + blockLines({ value }, col, style, offset) };
}

function addToFlow(coll: YAMLMap | YAMLSeq, entry: { key?: string | number; value: Value }, style: Style, text: string): Splice {
  const piece = flowText(entry, style);
  const [start, end] = coll.range!;
  if (coll.items.length === 0) {
    const close = text.lastIndexOf(isMap(coll) ? '}' : ']', end);
    return { at: start + 1, remove: close - start - 1, insert: ` ${piece} ` };
  }
  const last = coll.items[coll.items.length - 1];
  const lastEnd = isPair(last) ? contentEndOfPair(last as Pair) : (last as Node).range![1];
  return { at: lastEnd, insert: `, ${piece}` };
}

/** `key:` with no value (or `~`/`null`): the new content goes on the lines below the key. */
function fillEmptyPair(lines: Lines, pair: Pair, content: Value, style: Style): Splice[] {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  const keyCol = lines.colOf(key.range![0]);
  const splices: Splice[] = [];
  const isSeqContent = Array.isArray(content);
  const col = keyCol + (isSeqContent && !style.indentSeq ? 0 : style.unit);
  let lineEnd = lines.lineOf(key.range![1]);
  if (value?.range && value.range[1] > value.range[0]) {
    // An explicit null: drop it (this one line changes), keep a trailing comment.
    const [s, e] = value.range;
    let from = s;
    const rest = lines.text.slice(e, lines.start(lines.lineOf(e) + 1)).replace(/\r?\n$/, '');
    if (rest.trim() === '') while (from > 0 && lines.text[from - 1] === ' ') from--;
    splices.push({ at: from, remove: e - from, insert: '' });
    lineEnd = lines.lineOf(e);
  }
  const body = isSeqContent
    ? (content as Value[]).map((v) => blockLines({ value: v }, col, style)).join('')
    : [...(content as Map<string | number, Value>)].map(([k, v]) => blockLines({ key: k, value: v }, col, style)).join('');
  // Comment lines indented under the key (`# add services here`) stay above the new content.
  const at = afterItem(lines, lines.start(lineEnd + 1), keyCol);
  const lead = at === lines.text.length && !lines.text.endsWith('\n') ? style.eol : '';
  splices.push({ at, insert: lead + body });
  return splices;
}

// ---------------------------------------------------------------------------------------------
// Putting it together

function nest(rest: readonly string[], key: string | number | undefined, value: Value): Value {
  let v: Value = key === undefined ? [value] : new Map([[key, value]]);
  for (let i = rest.length - 1; i >= 0; i--) v = new Map([[rest[i], v]]);
  return v;
}

function plain(v: Value): unknown {
  if (v instanceof Flow) return plain(v.value);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function expectedData(data: unknown, req: InsertRequest): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const seg of req.path.slice(0, req.key === undefined ? -1 : undefined)) {
    if (node[seg] === null || node[seg] === undefined) node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  }
  if (req.key === undefined) {
    const last = req.path[req.path.length - 1];
    if (!Array.isArray(node[last])) node[last] = [];
    (node[last] as unknown[]).push(plain(req.value));
  } else {
    node[String(req.key)] = plain(req.value);
  }
  return copy;
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) out = out.slice(0, s.at) + s.insert + out.slice(s.at + (s.remove ?? 0));
  return out;
}

/**
 * Returns `text` with the entry added. `doc` must be the parse of `text` (with node ranges).
 *
 * Byte-identical outside the inserted lines, except: a file without a final newline gets
 * one before the insertion at its end; `key: ~` loses its `~` when content goes under it;
 * a flow collection (`services: { a: {} }`) receives the entry inside its braces, on its line.
 */
export function insertEntry(text: string, doc: Document.Parsed, req: InsertRequest): string {
  const lines = new Lines(text);
  const style = detectStyle(doc, lines);
  const path = req.path;
  let node: unknown = doc.contents;
  let splices: Splice[] | undefined;
  // Walk the existing part of the path; the missing rest is created as one nested entry.
  for (let i = 0; i < path.length && !splices; i++) {
    const where = path.slice(0, i).join('.') || 'the document root';
    if (!isMap(node)) throw new EditError(`cannot add under \`${where}\`: it is not a map`);
    const pair = (node.items as Pair[]).find((p) => keyName(p) === path[i]);
    if (!pair) {
      const entry = { key: path[i], value: nest(path.slice(i + 1), req.key, req.value) };
      splices = [node.flow ? addToFlow(node, entry, style, text) : addToBlockMap(lines, node, path.slice(0, i), entry.key, entry.value, style, req.order)];
      break;
    }
    const v = pair.value as Node | null;
    if (v === null || (isScalar(v) && (v.value === null || v.value === undefined))) {
      splices = fillEmptyPair(lines, pair, nest(path.slice(i + 1), req.key, req.value), style);
      break;
    }
    node = v;
  }
  if (!splices) {
    const where = path.join('.') || 'the document root';
    if (req.key === undefined) {
      if (!isSeq(node)) throw new EditError(`cannot add to \`${where}\`: it is not a list`);
      splices = [node.flow ? addToFlow(node, { value: req.value }, style, text) : addToBlockSeq(lines, node, req.value, style)];
    } else {
      if (!isMap(node)) throw new EditError(`cannot add to \`${where}\`: it is not a map`);
      if (node.items.length === 0 && !node.flow) throw new EditError(`cannot add to \`${where}\`: it is empty`);
      const entry = { key: req.key, value: req.value };
      splices = [node.flow ? addToFlow(node, entry, style, text) : addToBlockMap(lines, node, path, entry.key, entry.value, style, req.order)];
    }
  }
  const out = applySplices(text, splices);
  verify(doc, out, req);
  return out;
}

/** The new text must parse to exactly the old data plus the entry; anything else is a bug here, and nothing is written. */
function verify(doc: Document.Parsed, out: string, req: InsertRequest): void {
  const after = parseDocument(out, { uniqueKeys: true, strict: true });
  if (after.errors.length) throw new EditError(`the edit would not be valid YAML (${after.errors[0].message.split('\n')[0]}); the spec was not changed`);
  const expected = expectedData(doc.toJS({ maxAliasCount: 100 }), req);
  if (!isDeepStrictEqual(after.toJS({ maxAliasCount: 100 }), expected)) {
    throw new EditError('the edit would change more than the new entry (an unusual layout around the insertion point?); the spec was not changed');
  }
}
