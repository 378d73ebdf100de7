/**
 * `yaml-syntax`: every way a file can fail to be a readable YAML spec gives a positioned
 * diagnostic (never an exception), and nothing else runs after it.
 */
import { describe, expect, it } from 'vitest';
import { lintBytes, lintText } from '../../src/lint.js';
import { MAX_ALIAS_COUNT, MAX_DEPTH, MAX_SPEC_BYTES } from '../../src/spec/source.js';
import { show } from './helpers.js';

interface SyntaxCase {
  readonly name: string;
  readonly input: string | Uint8Array;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

const BILLION_LAUGHS = `microgen: 1
name: lol
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
`;

const CASES: SyntaxCase[] = [
  { name: 'an unclosed flow map', input: 'microgen: 1\nname: x\nservices: {a: 1\n', line: 4, column: 1, message: 'flow map in block collection must be sufficiently indented and end with a }' },
  { name: 'an unclosed quote', input: 'microgen: 1\nname: "x\n', line: 2, column: 7, message: 'this double-quoted string is never closed: add the closing "' },
  { name: "an unclosed single quote with a '' inside", input: "microgen: 1\nname: 'it''s\ndescription: x\n", line: 2, column: 7, message: "single-quoted string is never closed: add the closing '" },
  { name: 'a tab as indentation', input: 'microgen: 1\nname: x\nservices:\n\ta: {}\n', line: 4, column: 1, message: 'this line is indented with a tab: YAML indents with spaces only' },
  {
    name: 'a key indented 3 spaces instead of 4, before a key at 4',
    input: 'microgen: 1\nname: x\nservices:\n  user:\n   port: 8001\n    database: postgres\n',
    line: 6,
    column: 5,
    message: '`database:` is indented 4 spaces, deeper than `port:` on line 5 (3 spaces), which already has a value: the keys of one map start in the same column',
  },
  {
    name: 'a key indented between two levels (CRLF line ends)',
    input: 'microgen: 1\r\nname: x\r\nservices:\r\n  user:\r\n    port: 1\r\n   database: postgres\r\n',
    line: 6,
    column: 4,
    message: '`database:` is indented 3 spaces and lines up with no key above it: not with `port:` on line 5 (4 spaces), nor with `user:` on line 4 (2 spaces)',
  },
  { name: 'a key without its colon', input: 'microgen: 1\nname x\nservices: {}\n', line: 2, column: 1, message: '`name x` is not `key: value` (a key needs a colon and a space after it)' },
  {
    // Found by the property test: cut by UTF-16 units, the line ended in half a surrogate pair.
    name: 'a long line without its colon, cut between characters outside the BMP',
    input: `microgen: 1\nname: x\nevents:${'\u{10000}'.repeat(20)}\nservices: {}\n`,
    line: 3,
    column: 1,
    message: `\`events:${'\u{10000}'.repeat(17)}…\` is not \`key: value\` (a key needs a colon and a space after it)`,
  },
  { name: 'a duplicate key', input: 'microgen: 1\nname: a\nname: b\n', line: 3, column: 1, message: 'duplicate key: each key may appear once in a map' },
  { name: 'a duplicate key in a nested map', input: 'microgen: 1\nname: a\nservices:\n  user: {}\n  order: {}\n  user: {}\n', line: 6, column: 3, message: 'duplicate key' },
  {
    name: 'keys that differ in YAML but not as properties (200 and "200")',
    input: 'microgen: 1\nname: x\nservices:\n  a:\n    operations:\n      getA:\n        http: GET /a\n        responses: { 200: empty, "200": Error }\n',
    line: 8,
    column: 34,
    message: 'duplicate key',
  },
  { name: 'keys 100 and 1e2', input: 'microgen: 1\nname: x\nschemas:\n  Item:\n    100: string\n    1e2: integer\n', line: 6, column: 5, message: 'duplicate key' },
  { name: 'a duplicate key with CRLF line ends', input: 'microgen: 1\r\nname: a\r\nname: b\r\n', line: 3, column: 1, message: 'duplicate key' },
  { name: 'a duplicate key after a byte order mark', input: '\ufeffmicrogen: 1\nname: a\nname: b\n', line: 3, column: 1, message: 'duplicate key' },
  {
    name: 'the billion laughs alias bomb',
    input: BILLION_LAUGHS,
    line: 4,
    column: 8,
    message: `aliases expand too much (more than ${MAX_ALIAS_COUNT} nodes): the file looks like an alias bomb`,
  },
  { name: 'an alias without an anchor', input: 'microgen: 1\nname: x\ndescription: &d hi\nx: *d\ny: *nope\n', line: 5, column: 4, message: 'the alias `*nope` refers to no anchor' },
  { name: 'two YAML documents', input: 'microgen: 1\n---\nname: x\n', line: 2, column: 1, message: 'more than one YAML document' },
  { name: 'a !!binary tag', input: 'microgen: 1\nname: x\ndescription: !!binary aGk=\n', line: 3, column: 23, message: 'the tag `!!binary` is not allowed' },
  { name: 'a !!set tag', input: 'microgen: 1\nname: x\nservices: !!set { a, b }\n', line: 3, column: 17, message: 'the tag `!!set` is not allowed' },
  { name: 'a local tag', input: 'microgen: 1\nname: x\ndescription: !foo bar\n', line: 3, column: 19, message: 'the tag `!foo` is not allowed' },
  {
    name: 'flow lists nested past the depth limit',
    input: `microgen: 1\nname: x\ndescription: ${'['.repeat(300)}${']'.repeat(300)}\n`,
    // The root map is level 1, so the 64th `[` (column 14 + 63) is the first collection past the limit.
    line: 3,
    column: 14 + MAX_DEPTH - 1,
    message: `the document nests deeper than ${MAX_DEPTH} levels`,
  },
  {
    name: 'block lists nested past the depth limit',
    input: `microgen: 1\nname: x\ndescription:\n${Array.from({ length: 80 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`,
    line: 3 + MAX_DEPTH,
    column: MAX_DEPTH + 1,
    message: `the document nests deeper than ${MAX_DEPTH} levels`,
  },
  {
    name: 'nesting deep enough to overflow the YAML parser',
    input: `microgen: 1\nname: x\ndescription: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    line: 3,
    column: expect.any(Number) as unknown as number,
    message: 'the document nests too deeply to read',
  },
  { name: 'an empty file', input: '', line: 1, column: 1, message: 'the file is empty: a spec needs at least `microgen: 1` and `name`' },
  { name: 'a file of blank lines', input: '\n   \n\t\n', line: 1, column: 1, message: 'the file is empty' },
  { name: 'a comments-only file', input: '# yaml-language-server: $schema=x\n\n   # nothing else\r\n#\n', line: 1, column: 1, message: 'the file is empty' },
  { name: 'a byte that is not UTF-8', input: bytes('microgen: 1\nname: x\ndescription: ab', [0xff], 'cd\n'), line: 3, column: 16, message: 'the file is not valid UTF-8 text' },
  {
    name: 'a bad byte after multi-byte characters (column counts characters, not bytes)',
    input: bytes('microgen: 1\nname: x\n"aéb": €', [0xc3, 0x28], '\n'),
    line: 3,
    column: 9,
    message: 'the file is not valid UTF-8 text',
  },
  { name: 'a bad byte right after a complete multi-byte character', input: bytes('microgen: 1\nname: café', [0xff], '\n'), line: 2, column: 11, message: 'not valid UTF-8' },
  { name: 'a truncated multi-byte sequence at the end', input: bytes('microgen: 1\nname: x\n', [0xe2, 0x82]), line: 3, column: 1, message: 'not valid UTF-8' },
  { name: 'Latin-1 text', input: bytes('microgen: 1\nname: caf', [0xe9], '\n'), line: 2, column: 10, message: 'not valid UTF-8' },
];

describe('yaml-syntax', () => {
  it.each(CASES)('$name', ({ input, line, column, message }) => {
    const result = typeof input === 'string' ? lintText('spec.yaml', input) : lintBytes('spec.yaml', input);
    expect(result.diagnostics.length, result.diagnostics.map(show).join('\n')).toBeGreaterThan(0);
    // Only yaml-syntax: a file that cannot be read is not schema-checked.
    for (const d of result.diagnostics) expect(d).toMatchObject({ rule: 'yaml-syntax', severity: 'error', file: 'spec.yaml' });
    expect(result.diagnostics[0]).toMatchObject({ line, column, message: expect.stringContaining(message) });
    expect(result.model).toBeUndefined();
  });

  it('rejects a file one byte over MAX_SPEC_BYTES before decoding it', () => {
    const big = new Uint8Array(MAX_SPEC_BYTES + 1).fill(0x20);
    big.set(new TextEncoder().encode('microgen: 1\nname: x\n'));
    const result = lintBytes('big.yaml', big);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'yaml-syntax',
        severity: 'error',
        line: 1,
        column: 1,
        message: `the file is ${MAX_SPEC_BYTES + 1} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes`,
      }),
    ]);
  });

  it('accepts a file of exactly MAX_SPEC_BYTES', () => {
    const head = 'microgen: 1\nname: x\n#';
    const text = head + 'x'.repeat(MAX_SPEC_BYTES - head.length - 1) + '\n';
    expect(new TextEncoder().encode(text).length).toBe(MAX_SPEC_BYTES);
    expect(lintText('max.yaml', text).diagnostics).toEqual([]);
  });

  it('reads a spec after many blank lines quickly (the emptiness check once backtracked exponentially)', () => {
    const started = performance.now();
    const result = lintText('spec.yaml', `${'\n'.repeat(40)}microgen: 1\nname: x\n`);
    expect(result.diagnostics).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps an anchor and alias that expand little', () => {
    const result = lintText('spec.yaml', 'microgen: 1\nname: x\ndescription: &d hello\nservices:\n  a: { description: *d }\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.services[0].description).toBe('hello');
  });

  it('points at each of several YAML errors, in order', () => {
    const result = lintText('spec.yaml', 'microgen: 1\nname: a\nname: b\nservices:\n  x: {}\n  x: {}\n');
    expect(result.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [3, 1, 'yaml-syntax'],
      [6, 3, 'yaml-syntax'],
    ]);
  });
});
