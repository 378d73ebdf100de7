/**
 * Reading a spec file into a YAML Document that remembers where every node came from.
 * The same Document serves diagnostics (positions) and `microgen add` (comment-keeping
 * edits), so it is parsed once with a LineCounter and kept beside the plain data.
 *
 * Nothing here throws for bad input: every way a file can be unreadable as a spec
 * (too large, not UTF-8, empty, YAML errors, duplicate keys, alias bombs, absurd nesting)
 * becomes a `yaml-syntax` diagnostic.
 */
import { isAlias, isCollection, isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, YAMLParseError, YAMLWarning, type Alias, type Document, type Node, type YAMLError } from 'yaml';
import { oneLine, type Diagnostic } from '../diagnostics/diagnostic.js';
import { explainYamlError } from './yaml-errors.js';

/** Specs are hand-written; anything larger is a mistake or an attack. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;
/** Aliases expand on conversion: cap them so `a: &a [*a, *a, …]` cannot eat the heap. */
export const MAX_ALIAS_COUNT = 100;
/** Deeper than any real spec; keeps recursive walkers (ours and ajv's) off the stack limit. */
export const MAX_DEPTH = 64;

export interface SpecSource {
  /** The path as the user wrote it; used verbatim in diagnostics. */
  readonly file: string;
  readonly text: string;
  /** The YAML Document with positions. */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain JavaScript value of the document (undefined when it could not be built). */
  readonly data: unknown;
}

export type LoadResult =
  | { ok: true; source: SpecSource }
  | { ok: false; diagnostics: Diagnostic[]; source?: SpecSource };

function syntax(file: string, line: number, column: number, message: string, endLine = line, endColumn = column): Diagnostic {
  return { file, line, column, endLine, endColumn, severity: 'error', rule: 'yaml-syntax', message: oneLine(message) };
}

/** Line and column (1-based) of a character offset in `text`. */
export function offsetToPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Decode bytes as strict UTF-8; on failure report the line and column of the first bad byte. */
function decode(file: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  const decodes = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: n < bytes.length });
      return true;
    } catch {
      return false;
    }
  };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    // not UTF-8: find where
  }
  // Validity of a prefix is monotonic, so binary search finds the first bad byte.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decodes(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  // `lo` is where decoding became impossible. When the bytes before it end in an unfinished
  // sequence (`é` as Latin-1 0xE9, then a newline), the bad character starts at that
  // sequence's lead byte, not at `lo`: without this the column was one or more too far right.
  const complete = (() => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, lo));
      return true;
    } catch {
      return false;
    }
  })();
  if (!complete) {
    lo--;
    while (lo > 0 && (bytes[lo] & 0xc0) === 0x80) lo--;
  }
  const lineStart = bytes.lastIndexOf(10, lo - 1) + 1;
  const line = bytes.subarray(0, lineStart).reduce((n, b) => n + (b === 10 ? 1 : 0), 1);
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, lo)).length + 1;
  return { diagnostic: syntax(file, line, column, 'the file is not valid UTF-8 text') };
}

function depthOf(value: unknown): number {
  // Iterative so a hostile document cannot overflow the stack here; only maps and lists are
  // pushed (two parallel stacks, no pair per value: this walks every node of a large spec).
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const v = nodes.pop()!;
    const d = depths.pop()!;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        nodes.push(child as object);
        depths.push(d + 1);
      }
    }
  }
  return max;
}

/** No line holds more than blanks and a comment. (Linear: a single regex over whole lines once backtracked exponentially.) */
const isBlank = (text: string): boolean => !/(?:^|\n)[^\S\n]*[^\s#]/.test(text);
const emptyFile = (file: string): Diagnostic => syntax(file, 1, 1, 'the file is empty: a spec needs at least `microgen: 1` and `name`');

/**
 * Parse spec text (already decoded) with positions; every YAML error becomes a diagnostic.
 * `file` is only used in diagnostics.
 */
export function parseSpecText(file: string, text: string): LoadResult {
  if (isBlank(text)) return { ok: false, diagnostics: [emptyFile(file)] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: true });
  } catch (err) {
    // A RangeError here is the parser's stack overflowing on absurd nesting: say so, not "maximum call stack size exceeded".
    const message = err instanceof RangeError ? `the document nests too deeply to read (specs are limited to ${MAX_DEPTH} levels)` : `the YAML parser gave up: ${(err as Error).message}`;
    return { ok: false, diagnostics: [syntax(file, 1, 1, message)] };
  }
  const problems = [...doc.errors, ...duplicateKeys(doc), ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')];
  if (problems.some((p) => !(p instanceof YAMLWarning))) {
    // One mistake often gives the parser two errors at the same place (a misindented key is also a multi-line key): keep the first.
    const distinct = problems.filter((e, i) => problems.findIndex((f) => f.pos[0] === e.pos[0]) === i);
    const diagnostics = distinct.map((e) => {
      const plain = explainYamlError(text, e.code, e.message, e.pos[0]);
      const start = lineCounter.linePos(plain?.offset ?? e.pos[0]);
      const end = plain ? start : lineCounter.linePos(e.pos[1]);
      return syntax(file, start.line, start.col, plain?.message ?? yamlMessage(e.code, e.message), end.line, end.col);
    });
    return { ok: false, diagnostics: withoutCascade(diagnostics, text) };
  }
  // `!!binary`, `!!timestamp`, `!!set` … become a Buffer, Date or Set, which the schema then walked
  // like a map (a `!!binary` body produced a message quoting Buffer.prototype.compare's source).
  // A spec is plain JSON data, so any tag beyond the JSON-compatible core ones is refused here.
  const tagged = foreignTag(doc);
  if (tagged) {
    const start = lineCounter.linePos(tagged.range?.[0] ?? 0);
    const end = lineCounter.linePos(tagged.range?.[1] ?? 0);
    const tag = String(tagged.tag).replace(/^tag:yaml\.org,2002:/, '!!');
    return { ok: false, diagnostics: [syntax(file, start.line, start.col, `the tag \`${tag}\` is not allowed: a spec holds only maps, lists, strings, numbers, booleans and null`, end.line, end.col)] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // An alias without an anchor also throws here; it used to be called an alias bomb (any
    // message matching /alias/ was), at the first alias rather than the dangling one.
    const unresolved = /^Unresolved alias/.test((err as Error).message) ? danglingAlias(doc) : undefined;
    const pos = lineCounter.linePos(unresolved?.range?.[0] ?? firstAlias(doc) ?? 0);
    const message = unresolved
      ? `the alias \`*${unresolved.source}\` refers to no anchor: define \`&${unresolved.source}\` before it`
      : /Excessive alias count/.test((err as Error).message)
        ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} nodes): the file looks like an alias bomb`
        : `the document cannot be read: ${(err as Error).message}`;
    return { ok: false, diagnostics: [syntax(file, pos.line, pos.col, message)] };
  }
  const source: SpecSource = { file, text, doc, lineCounter, data };
  if (depthOf(data) > MAX_DEPTH) {
    // At the first collection past the limit (not 1:1), so the user sees where it goes wrong.
    const pos = lineCounter.linePos(tooDeep(doc) ?? firstAlias(doc) ?? 0);
    return { ok: false, source, diagnostics: [syntax(file, pos.line, pos.col, `the document nests deeper than ${MAX_DEPTH} levels`)] };
  }
  return { ok: true, source };
}

/**
 * Keys that name the same property of the data, each after its first, as the yaml library reports
 * a duplicate. Scalar keys are duplicates when their values read the same as text: the library
 * compares values, so `200:` and `"200":` (or `100:` and `1e2:`) passed and the second silently
 * replaced the first when the data was built. Found here with a set per map: the library's own
 * check compares each key with every earlier one of its map, quadratic in the map of services.
 */
function duplicateKeys(doc: Document): YAMLError[] {
  const found: YAMLError[] = [];
  for (const node of nodesOf(doc)) {
    if (!isMap(node)) continue;
    const seen = new Set<string>();
    for (const { key } of node.items) {
      if (!isScalar(key)) continue;
      const name = String(key.value);
      const at = key.range?.[0] ?? 0;
      if (seen.has(name)) found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      seen.add(name);
    }
  }
  return found;
}

/** Every node of the document in document order, keys before their values (iterative: the input is hostile). */
function* nodesOf(doc: Document): Generator<Node> {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isNode(node)) continue;
    yield node;
    if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
}

/** Offset of the first collection nested deeper than MAX_DEPTH (iterative: the input is hostile). */
function tooDeep(doc: Document): number | undefined {
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > MAX_DEPTH) return node.range?.[0];
    for (const item of [...node.items].reverse()) {
      if (isPair(item)) stack.push([item.value, depth + 1], [item.key, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** The first node with an explicit tag that is not a JSON-compatible core tag. */
function foreignTag(doc: Document): Node | undefined {
  for (const node of nodesOf(doc)) if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) return node;
  return undefined;
}

/** The first alias whose anchor is not defined before it. */
function danglingAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function firstAlias(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        at = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return at;
}

/**
 * After a structural mistake the YAML parser reports every following token too: one unquoted
 * `{id}` in a flow map gave ~80 errors. Duplicate keys are independent of each other and all stay.
 * Only the first error is certain; the rest are counted in its message.
 */
function withoutCascade(diagnostics: Diagnostic[], text: string): Diagnostic[] {
  const structural = diagnostics.filter((d) => !d.message.startsWith('duplicate key'));
  if (structural.length <= 1) return diagnostics;
  const first = structural.reduce((a, b) => (b.line < a.line || (b.line === a.line && b.column < a.column) ? b : a));
  const dropped = structural.length - 1;
  const line = text.split('\n')[first.line - 1] ?? '';
  // The commonest cause in a spec: a path with `{param}` inside a flow map, where braces are syntax.
  const hint = /[{[].*\/[^\s,'"]*\{/.test(line) ? '; a value containing `{` or `}` inside `{ … }` must be quoted, as in `http: "GET /users/{id}"`' : '';
  const note = `${hint} (${dropped} more YAML error${dropped === 1 ? '' : 's'} after this one, likely caused by it)`;
  return [...diagnostics.filter((d) => d.message.startsWith('duplicate key')), { ...first, message: `${first.message}${note}` }];
}

function yamlMessage(code: string, message: string): string {
  // The yaml library's messages carry their own position suffix; ours is in the prefix.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  // The library's own advice ("please use YAML.parseAllDocuments()") is for programmers, not spec authors.
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (a `---` line): a spec is a single document';
  if (code === 'DUPLICATE_KEY') return first.replace(/^Map keys must be unique$/, 'duplicate key: each key may appear once in a map');
  // The parser reports its own stack overflow on absurd nesting; "maximum call stack size exceeded" tells a user nothing.
  if (code === 'RESOURCE_EXHAUSTION') return `the document nests too deeply to read (specs are limited to ${MAX_DEPTH} levels)`;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Parse spec bytes: size and encoding checks first, then YAML. */
export function parseSpecBytes(file: string, bytes: Uint8Array): LoadResult {
  if (bytes.length > MAX_SPEC_BYTES) {
    return {
      ok: false,
      diagnostics: [syntax(file, 1, 1, `the file is ${bytes.length} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes`)],
    };
  }
  const decoded = decode(file, bytes);
  if ('diagnostic' in decoded) return { ok: false, diagnostics: [decoded.diagnostic] };
  return parseSpecText(file, decoded.text);
}
