/**
 * The fast path's YAML reader: a line-by-line reader for the plain subset of YAML that
 * hand-written specs are made of (block maps and lists by indentation, one-line scalars,
 * literal and folded block scalars, one-line flow collections, comments). It answers
 * `undefined` for anything else, and the caller reads the text with the `yaml` Document API,
 * which also produces every diagnostic (source.ts).
 *
 * Why not a YAML library: the Document API costs ~8× more than a plain reader, and js-yaml
 * (the fast path before this one) runs a character-at-a-time state machine that a CLI reading
 * one spec runs cold, in the interpreter: ~35 ms for 100 services (5,000 lines). Here whole
 * lines are cut up with the engine's native string search. js-yaml also read seven kinds of
 * text differently from the Document API (empty list entries, complex and null keys, `0b`
 * numbers, minus zero …), found by the property tests.
 *
 * The rule that keeps it safe: whatever it accepts, it reads exactly as the Document API
 * (YAML 1.2, core schema) does; where the reading could differ, or a construct is anything
 * but the plain one, it gives up (a give-up only costs speed). tests/spec/plain-reader.test.ts
 * compares the two on generated and mutated texts.
 */

/** Thrown inside to give up; never leaves this module. */
const GIVE_UP = Symbol('give up');

/**
 * Characters YAML forbids in a document, tabs (indentation rules), carriage returns, and the
 * spaces other than U+0020 that `trimStart` would take for indentation.
 */
const UNREADABLE = /[\x00-\x09\x0b-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\ufffe\uffff]/;
/** A scalar YAML 1.1 or 1.2 could read as a number (a superset of both, so nothing number-like slips by). */
const NUMBERISH = /^[-+]?(?:[0-9_.]+(?:[eE][-+]?[0-9]+)?|0[bB][01_]+|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
/** The numbers every YAML reads alike and a double holds exactly. */
const PLAIN_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const PLAIN_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** A scalar may not start with an indicator, other than the minus of a negative number. */
const INDICATOR_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?![0-9]))/;
/** Not a plain key: an indicator first, a flow character or comment inside, a space last. */
const NOT_PLAIN_KEY = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?![0-9]))|[[\]{},]| #|\s$/;
/** Not a plain value in block context: an indicator first, or a `: ` inside or `:` last (a nested map). */
const NOT_PLAIN_VALUE = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?![0-9]))|: |:$/;
/** `|`, `|-`, `>` or `>-`, then maybe a comment. */
const BLOCK_HEADER = /^([|>])(-?)(?: +(?:#.*)?)?$/;
/** JSON's escapes (but `\u`) mean the same in YAML; a text with any other is left to the Document API. */
const JSON_ESCAPED = /^(?:[^\\]|\\["\\/bfnrt])*$/;

export interface PlainRead {
  readonly data: Record<string, unknown>;
  /** How deeply the data nests (the root map is 1). */
  readonly depth: number;
}

export function readPlain(text: string, maxDepth: number): PlainRead | undefined {
  if (UNREADABLE.test(text)) return undefined;
  try {
    const reader = new Reader(text, maxDepth);
    const data = reader.document();
    return { data, depth: reader.deepest };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class Reader {
  /** Significant lines only: their indentation and the text after it (right-trimmed later). */
  private readonly indents: number[] = [];
  private readonly bodies: string[] = [];
  /** Where each significant line is among all lines (block scalars read the lines between). */
  private readonly rows: number[] = [];
  private readonly lines: string[];
  private next = 0;
  deepest = 0;

  constructor(text: string, private readonly maxDepth: number) {
    this.lines = text.split('\n');
    // Native string work per line: the code runs once per process, in the interpreter.
    for (let row = 0; row < this.lines.length; row++) {
      const line = this.lines[row];
      const body = line.trimStart();
      if (body === '' || body.charCodeAt(0) === 35 /* # */) continue;
      const indent = line.length - body.length;
      // Document markers and directives belong to the full parser.
      if (indent === 0 && (body.startsWith('---') || body.startsWith('...') || body.startsWith('%'))) giveUp();
      this.indents.push(indent);
      this.bodies.push(body);
      this.rows.push(row);
    }
  }

  document(): Record<string, unknown> {
    if (this.indents.length === 0 || this.indents[0] !== 0 || isSequenceEntry(this.bodies[0])) giveUp();
    const data = this.mapping(0, 1);
    if (this.next !== this.indents.length) giveUp();
    return data;
  }

  /** Entering a collection at `depth` (block or flow): gives up past the limit, keeps the deepest. */
  enter(depth: number): void {
    if (depth > this.maxDepth) giveUp();
    if (depth > this.deepest) this.deepest = depth;
  }

  /** A block mapping whose keys sit at column `indent`; the current line is its first entry. */
  private mapping(indent: number, depth: number): Record<string, unknown> {
    this.enter(depth);
    const map: Record<string, unknown> = {};
    while (this.next < this.indents.length && this.indents[this.next] === indent) {
      const body = this.bodies[this.next];
      if (isSequenceEntry(body)) break;
      const { key, rest } = splitKey(body);
      if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) giveUp();
      this.next++;
      map[key] = rest === '' ? this.nested(indent, depth, true) : this.inlineValue(rest, indent, depth);
    }
    if (this.next < this.indents.length && this.indents[this.next] > indent) giveUp();
    return map;
  }

  /** A block sequence whose dashes sit at column `indent`; the current line is its first entry. */
  private sequence(indent: number, depth: number): unknown[] {
    this.enter(depth);
    const list: unknown[] = [];
    while (this.next < this.indents.length && this.indents[this.next] === indent && isSequenceEntry(this.bodies[this.next])) {
      const body = this.bodies[this.next];
      let gap = 1;
      while (body.charCodeAt(gap) === 32) gap++;
      const rest = body.slice(gap);
      if (rest === '' || rest.startsWith('#')) {
        this.next++;
        list.push(this.nested(indent, depth, false));
      } else if (isSequenceEntry(rest)) {
        giveUp(); // `- - a`: a compact nested list
      } else if (hasKey(rest)) {
        // `- key: value`: a compact mapping whose keys sit where this one starts.
        this.indents[this.next] = indent + gap;
        this.bodies[this.next] = rest;
        list.push(this.mapping(indent + gap, depth + 1));
      } else {
        this.next++;
        list.push(this.inlineValue(rest, indent, depth));
      }
    }
    if (this.next < this.indents.length && this.indents[this.next] > indent) giveUp();
    return list;
  }

  /**
   * The value of `key:` or `-` with nothing after it on the line: the block below, or null.
   * A mapping's value may be a sequence at the key's own column.
   */
  private nested(indent: number, depth: number, inMapping: boolean): unknown {
    if (this.next >= this.indents.length) return null;
    const childIndent = this.indents[this.next];
    const body = this.bodies[this.next];
    if (childIndent > indent) return isSequenceEntry(body) ? this.sequence(childIndent, depth + 1) : this.mapping(childIndent, depth + 1);
    if (inMapping && childIndent === indent && isSequenceEntry(body)) return this.sequence(indent, depth + 1);
    return null;
  }

  /** A value written on its key's (or dash's) line; no line below may continue it. */
  private inlineValue(rest: string, indent: number, depth: number): unknown {
    const first = rest.charCodeAt(0);
    if (first === 124 /* | */ || first === 62 /* > */) return this.blockScalar(rest, indent);
    if (this.next < this.indents.length && this.indents[this.next] > indent) giveUp();
    if (first === 91 /* [ */ || first === 123 /* { */) {
      const flow = new FlowReader(rest, this, depth);
      const value = flow.value();
      flow.end();
      return value;
    }
    if (first === 34 /* " */ || first === 39 /* ' */) {
      const { value, end } = quoted(rest, 0);
      afterValue(rest, end);
      return value;
    }
    return plainScalar(blockPlainText(rest));
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar, clipped or stripped (`-`), below the line
   * whose value it is; its lines must be indented further than `indent`. Given up: keep (`+`)
   * and explicit indentation, blank lines first, a line less indented than the first, folded
   * lines indented further than the first, and blank lines with more spaces than the content.
   */
  private blockScalar(header: string, indent: number): string {
    const form = BLOCK_HEADER.exec(header);
    if (!form) giveUp();
    const lines = this.lines;
    let row = this.rows[this.next - 1] + 1;
    const first = row < lines.length ? lines[row] : '';
    const contentIndent = first.length - first.trimStart().length;
    if (first.trim() === '' || contentIndent <= indent) giveUp();
    const content: string[] = [];
    for (; row < lines.length; row++) {
      const line = lines[row];
      const body = line.trimStart();
      const lineIndent = line.length - body.length;
      if (body === '') {
        if (line.length > contentIndent) giveUp();
        content.push('');
        continue;
      }
      if (lineIndent <= indent) break;
      if (lineIndent < contentIndent || (form[1] === '>' && lineIndent > contentIndent)) giveUp();
      content.push(line.slice(contentIndent));
    }
    while (content[content.length - 1] === '') content.pop();
    while (this.next < this.rows.length && this.rows[this.next] < row) this.next++;
    let text: string;
    if (form[1] === '|') text = content.join('\n');
    else {
      // Folding: a line break between two lines becomes a space; n blank lines between, n breaks.
      text = content[0];
      let blank = 0;
      for (let i = 1; i < content.length; i++) {
        if (content[i] === '') blank++;
        else {
          text += blank > 0 ? '\n'.repeat(blank) : ' ';
          text += content[i];
          blank = 0;
        }
      }
    }
    return form[2] === '-' ? text : `${text}\n`;
  }
}

const isSequenceEntry = (body: string): boolean => body.charCodeAt(0) === 45 /* - */ && (body.length === 1 || body.charCodeAt(1) === 32);

/** Where the `: ` (or line-final `:`) of an implicit key is, or -1. */
function keyColon(body: string): number {
  if (body.charCodeAt(0) === 34 || body.charCodeAt(0) === 39) {
    const { end } = quoted(body, 0);
    return body.charCodeAt(end) === 58 && (end + 1 === body.length || body.charCodeAt(end + 1) === 32) ? end : -1;
  }
  let at = body.indexOf(':');
  while (at !== -1) {
    if (at + 1 === body.length || body.charCodeAt(at + 1) === 32) return at;
    at = body.indexOf(':', at + 1);
  }
  return -1;
}

const hasKey = (body: string): boolean => keyColon(body) > 0;

/** `key: rest` → the key (as the data will hold it) and what follows the colon, comment removed. */
function splitKey(body: string): { key: string; rest: string } {
  const colon = keyColon(body);
  if (colon <= 0) giveUp();
  let key: string;
  const first = body.charCodeAt(0);
  if (first === 34 || first === 39) key = quoted(body, 0).value;
  else {
    const text = body.slice(0, colon);
    // A key is a plain scalar too: no indicator first, no comment or flow characters, no spaces at its ends.
    if (NOT_PLAIN_KEY.test(text)) giveUp();
    key = plainKey(text);
  }
  let start = colon + 1;
  while (body.charCodeAt(start) === 32) start++;
  return { key, rest: start === body.length || body.charCodeAt(start) === 35 /* # */ ? '' : body.slice(start) };
}

/** The property name a plain key becomes: strings, and integers written the way JavaScript writes them. */
function plainKey(text: string): string {
  const value = plainScalar(text);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && PLAIN_INT.test(text) && String(value) === text) return text;
  return giveUp(); // null, true, 1.5 … as keys: YAML libraries name them differently
}

/** A block plain scalar's text: up to a comment, right-trimmed; refuses what YAML would not read as one. */
function blockPlainText(rest: string): string {
  const comment = rest.indexOf(' #');
  const text = (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
  if (NOT_PLAIN_VALUE.test(text)) giveUp();
  return text;
}

/** The core schema's reading of a plain scalar, for the scalars every YAML reads alike. */
function plainScalar(text: string): unknown {
  const c = text.charCodeAt(0);
  // Most keys and values start with a lower-case letter that begins no keyword (n, t, f): strings.
  if (c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) return text;
  if (KEYWORDS.has(text)) return KEYWORDS.get(text);
  return numberish(text, c) ? number(text) : text;
}

/** The plain scalars YAML 1.2's core schema reads as null or a boolean. */
const KEYWORDS = new Map<string, null | boolean>([
  ...['', '~', 'null', 'Null', 'NULL'].map((k): [string, null] => [k, null]),
  ...['true', 'True', 'TRUE'].map((k): [string, boolean] => [k, true]),
  ...['false', 'False', 'FALSE'].map((k): [string, boolean] => [k, false]),
]);

/** Starts like a number: a digit, a sign, a dot or an underscore. */
const numberish = (text: string, c: number): boolean => (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 95;

function number(text: string): unknown {
  if (PLAIN_INT.test(text) || PLAIN_FLOAT.test(text)) {
    const n = Number(text);
    if (Object.is(n, -0)) giveUp(); // `-0.0`: YAML libraries disagree on its sign
    return n;
  }
  if (NUMBERISH.test(text)) giveUp();
  return text;
}

/** A one-line quoted scalar starting at `from`: its value and the index after the closing quote. */
function quoted(line: string, from: number): { value: string; end: number } {
  const q = line[from];
  if (q === "'") {
    let value = '';
    let i = from + 1;
    for (;;) {
      const close = line.indexOf("'", i);
      if (close === -1) giveUp(); // runs on to the next line
      value += line.slice(i, close);
      if (line.charCodeAt(close + 1) === 39) {
        value += "'";
        i = close + 2;
      } else return { value, end: close + 1 };
    }
  }
  let i = from + 1;
  for (;;) {
    const close = line.indexOf('"', i);
    if (close === -1) giveUp();
    let backslashes = 0;
    while (line.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 1) {
      i = close + 1;
      continue;
    }
    const inner = line.slice(from + 1, close);
    if (!inner.includes('\\')) return { value: inner, end: close + 1 };
    if (!JSON_ESCAPED.test(inner)) giveUp();
    return { value: JSON.parse(`"${inner}"`) as string, end: close + 1 };
  }
}

/** After a quoted scalar or flow collection: only spaces and a comment may follow. */
function afterValue(line: string, end: number): void {
  let i = end;
  while (line.charCodeAt(i) === 32) i++;
  if (i < line.length && (line.charCodeAt(i) !== 35 || i === end)) giveUp();
}

/**
 * A flow collection on one line: `[a, b]`, `{ id: string, tags: string[] }`, nested. Plain
 * scalars inside may not hold `:` or flow characters at all (conservative: `{a:b}` and
 * `[a:b]` read differently across YAML versions), and empty entries give up.
 */
class FlowReader {
  private i = 0;
  constructor(
    private readonly line: string,
    private readonly owner: Reader,
    private readonly depth: number,
  ) {}

  value(depth = this.depth + 1): unknown {
    this.spaces();
    const c = this.line.charCodeAt(this.i);
    if (c === 91) return this.list(depth);
    if (c === 123) return this.map(depth);
    if (c === 34 || c === 39) {
      const { value, end } = quoted(this.line, this.i);
      this.i = end;
      return value;
    }
    return plainScalar(this.plain());
  }

  end(): void {
    afterValue(this.line, this.i);
  }

  private list(depth: number): unknown[] {
    this.owner.enter(depth);
    this.i++;
    const list: unknown[] = [];
    this.spaces();
    if (this.line.charCodeAt(this.i) === 93) {
      this.i++;
      return list;
    }
    for (;;) {
      list.push(this.value(depth + 1));
      this.spaces();
      const c = this.line.charCodeAt(this.i++);
      if (c === 93) return list;
      if (c !== 44) giveUp();
      this.spaces();
      if (this.line.charCodeAt(this.i) === 93) giveUp(); // a trailing comma
    }
  }

  private map(depth: number): Record<string, unknown> {
    this.owner.enter(depth);
    this.i++;
    const map: Record<string, unknown> = {};
    this.spaces();
    if (this.line.charCodeAt(this.i) === 125) {
      this.i++;
      return map;
    }
    for (;;) {
      this.spaces();
      const c0 = this.line.charCodeAt(this.i);
      let key: string;
      if (c0 === 34 || c0 === 39) {
        const q = quoted(this.line, this.i);
        key = q.value;
        this.i = q.end;
      } else {
        key = plainKey(this.plain());
      }
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) giveUp();
      // `key: value` only: the colon right after the key, then a space.
      if (this.line.charCodeAt(this.i) !== 58 || this.line.charCodeAt(this.i + 1) !== 32) giveUp();
      this.i += 2;
      map[key] = this.value(depth + 1);
      this.spaces();
      const c = this.line.charCodeAt(this.i++);
      if (c === 125) return map;
      if (c !== 44) giveUp();
      this.spaces();
      if (this.line.charCodeAt(this.i) === 125) giveUp();
    }
  }

  /** A plain scalar inside a flow collection: up to `,`, `:`, a bracket or brace, right-trimmed. */
  private plain(): string {
    const start = this.i;
    const line = this.line;
    let i = start;
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 44 || c === 58 || c === 91 || c === 93 || c === 123 || c === 125) break;
      if (c === 35 && line.charCodeAt(i - 1) === 32) giveUp(); // a comment inside a flow collection
    }
    this.i = i;
    const text = line.slice(start, i).trimEnd();
    if (text === '' || INDICATOR_START.test(text)) giveUp();
    return text;
  }

  private spaces(): void {
    while (this.line.charCodeAt(this.i) === 32) this.i++;
  }
}
