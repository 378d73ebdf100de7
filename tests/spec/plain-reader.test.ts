/**
 * The fast path's reader (src/spec/plain-reader.ts) may read a text only as the `yaml`
 * Document API does, and only texts it accepts. Random documents are written in every style
 * the reader knows and some it must refuse (tests/helpers/random-yaml.ts), and the shop spec is
 * mutated line by line and character by character.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { makeSpec } from '../../bench/make-spec.js';
import { readPlain } from '../../src/spec/plain-reader.js';
import { MAX_DEPTH, parseSpecText, parseWithDocument } from '../../src/spec/source.js';
import { runCli } from '../helpers/io.js';
import { word, yamlDocument } from '../helpers/random-yaml.js';
import { ROOT } from '../helpers/system.js';

/** What the Document API reads: the reference (diagnostics and edits come from it). */
function reference(text: string): unknown {
  const full = parseWithDocument('x.yaml', text);
  return full.ok ? full.source.data : undefined;
}

/** How many texts the reader accepted, of how many, per property (a property it never accepts tests nothing). */
const tally = { accepted: 0, seen: 0 };

function expectAgreement(text: string): void {
  tally.seen++;
  const plain = readPlain(text, MAX_DEPTH);
  if (!plain) return;
  tally.accepted++;
  const data = reference(text);
  expect(data, `the reader accepted a text the Document API refuses:\n${text}`).toBeDefined();
  expect(plain.data, text).toEqual(data);
}

const SHOP = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8');

const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);

describe('the line reader', () => {
  it('reads every bundled spec and fixture, the way the Document API does', () => {
    const texts = ['examples/shop/microgen.yaml', 'examples/minimal/microgen.yaml', 'tests/e2e/fixtures/runtime.yaml'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
    texts.push(makeSpec(20));
    for (const text of texts) {
      const plain = readPlain(text, MAX_DEPTH);
      expect(plain, text.slice(0, 200)).toBeDefined();
      expect(plain!.data).toEqual(reference(text));
      expect(plain!.depth).toBe(depthOf(plain!.data));
    }
  });

  it('is the fast path: the Document is built only when asked for', () => {
    const fast = parseSpecText('shop.yaml', SHOP);
    expect(fast.ok && fast.source.fast).toBe(true);
    expect(fast.ok && fast.source.data).toEqual(reference(SHOP));
    const anchored = parseSpecText('x.yaml', 'a: &x 1\nb: *x\n');
    expect(anchored.ok && anchored.source.fast).toBeUndefined();
    expect(anchored.ok && anchored.source.data).toEqual({ a: 1, b: 1 });
  });

  it('still reads a spec after `microgen add` has edited it (edits keep to the subset)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-plain-add-'));
    writeFileSync(join(dir, 'microgen.yaml'), SHOP);
    for (const argv of [
      ['add', 'service', 'billing', '--db', 'postgres'],
      ['add', 'event', 'billing.invoiced', '--field', 'invoiceId:string,total:number'],
      ['add', 'operation', 'billing', 'createInvoice', '--http', 'POST /invoices/{id}', '--body', 'amount:number,note:string?', '--response', '201:empty', '--response', '404:empty'],
      ['add', 'route', '/api/billing', '--service', 'billing', '--strip-path'],
    ]) {
      expect((await runCli([...argv, '--no-generate'], dir)).code, argv.join(' ')).toBe(0);
    }
    const text = readFileSync(join(dir, 'microgen.yaml'), 'utf8');
    expect(text).toContain('createInvoice');
    expect(readPlain(text, MAX_DEPTH)?.data).toEqual(reference(text));
  });

  it('reads the plain forms exactly', () => {
    const text = [
      '# a comment',
      'name: shop   # trailing comment',
      '"quoted key": \'it\'\'s\'',
      "'single': \"tab\\there \\\"q\\\" \\\\ \\/\"",
      'empty:',
      'tilde: ~',
      'flags: [true, False, NULL, 12, -7, 1.50, 0, 2s, 100ms]',
      'map: { a: 1, "b c": [x, { d: e }], f: {} , g: [] }',
      '200: int key',
      'url: http://x/y#z',
      'route: GET /things/{id}',
      'list:',
      '- a',
      '-',
      '  - nested',
      '- k: v',
      '  k2:',
      '    deep: 1',
      'indented:',
      '    - 1',
      '    - two',
      'unicode: ü 😀',
      'literal: |',
      '  line one',
      '    indented # not a comment',
      '',
      '  after a blank line',
      '',
      'stripped: |- # a comment',
      '  no newline at the end',
      'folded: >',
      '  folded into',
      '  one line',
      '',
      '  and a second',
      'in list:',
      '  - >-',
      '    folded, stripped',
      '  - k: |',
      '      text',
      'empty entries:',
      '  -',
      '    -',
      '  -',
    ].join('\n');
    expect(readPlain(text, MAX_DEPTH)?.data).toEqual({
      name: 'shop',
      'quoted key': "it's",
      single: 'tab\there "q" \\ /',
      empty: null,
      tilde: null,
      flags: [true, false, null, 12, -7, 1.5, 0, '2s', '100ms'],
      map: { a: 1, 'b c': ['x', { d: 'e' }], f: {}, g: [] },
      '200': 'int key',
      url: 'http://x/y#z',
      route: 'GET /things/{id}',
      list: ['a', ['nested'], { k: 'v', k2: { deep: 1 } }],
      indented: [1, 'two'],
      unicode: 'ü 😀',
      literal: 'line one\n  indented # not a comment\n\nafter a blank line\n',
      stripped: 'no newline at the end',
      folded: 'folded into one line\nand a second\n',
      'in list': ['folded, stripped', { k: 'text\n' }],
      // js-yaml 4 read this one as [[null, null]].
      'empty entries': [[null], null],
    });
    expectAgreement(text);
  });

  it('gives up on everything else, leaving it to the Document API', () => {
    const refused = [
      'a: &x 1\nb: *x\n',
      '%YAML 1.2\n---\na: 1\n',
      '? a\n: 1\n',
      'a: |+\n  kept\n',
      'a: |2\n   explicit\n',
      'a: |\n\n  blank first\n',
      'a: |\n    deeper\n  shallower\n',
      'a: >\n  folded\n    more indented\n',
      'a: |\nb: 1\n',
      'a: !!str 1\n',
      'a: multi\n  line\n',
      'a:\tb\n',
      'a: b\r\n',
      '---\na: 1\n',
      'a: 1\na: 2\n',
      '__proto__: 1\n',
      '<<: 1\n',
      'a: 0x1F\n',
      'a: 1e3\n',
      'a: 1_000\n',
      'a: .inf\n',
      'a: +1\n',
      'a: -0.0\n',
      'a: 007\n',
      'a: 1.2.3\n',
      'null: 1\n',
      'true: 1\n',
      '1.5: 1\n',
      'a: [1, 2,]\n',
      'a: {b:c}\n',
      'a: [b: c]\n',
      'a: [x # no]\n',
      'a: "unterminated\n',
      "a: 'unterminated\n",
      'a: "\\u00e9"\n',
      'a: "\\x41"\n',
      'a: b: c\n',
      'a: b:\n',
      'a: - b\n',
      '- top level list\n',
      '  indented: root\n',
      'a:\n  - b\n  c: d\n',
      'a: 1\n b: 2\n',
      'a: "x" y\n',
      'key with space : v\n',
    ];
    for (const text of refused) expect(readPlain(text, MAX_DEPTH), JSON.stringify(text)).toBeUndefined();
  });

  it('counts depth exactly in documents 40 to 90 levels deep, in block, flow and mixed styles', () => {
    const nested = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 3 }), tie('map'), tie('list')),
      map: fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie('node'), { minKeys: 1, maxKeys: 2 }),
      list: fc.array(tie('node'), { minLength: 1, maxLength: 2 }),
    })).node;
    const chain = fc.tuple(fc.integer({ min: 40, max: 90 }), fc.array(fc.boolean(), { minLength: 90, maxLength: 90 }), nested).map(([n, kinds, leaf]) => {
      let v: unknown = leaf;
      for (let i = 0; i < n; i++) v = kinds[i] ? { k: v } : [v];
      return { k: v };
    });
    let accepted = 0;
    fc.assert(
      fc.property(chain, fc.integer({ min: -1, max: 30 }), (data, flowLevel) => {
        const text = dump(data, { flowLevel, lineWidth: -1 });
        const plain = readPlain(text, MAX_DEPTH);
        if (depthOf(data) > MAX_DEPTH) expect(plain).toBeUndefined();
        if (!plain) return;
        accepted++;
        expect(plain.depth).toBe(depthOf(data));
        expect(plain.data).toEqual(reference(text));
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('counts depth like the fast path’s limit and refuses to go past it', () => {
    const nested = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' 1\n';
    expect(readPlain(nested(MAX_DEPTH), MAX_DEPTH)?.depth).toBe(MAX_DEPTH);
    expect(readPlain(nested(MAX_DEPTH + 1), MAX_DEPTH)).toBeUndefined();
    expect(readPlain('a: [[[1]]]\n', 3)).toBeUndefined();
    expect(readPlain('a: [[[1]]]\n', 4)?.depth).toBe(4);
  });
});

describe('the line reader on random documents', () => {
  it('reads only what the Document API reads, and reads it as it does', () => {
    Object.assign(tally, { accepted: 0, seen: 0 });
    fc.assert(
      fc.property(yamlDocument, (text) => expectAgreement(text)),
      { numRuns: Number(process.env.PLAIN_READER_RUNS ?? 3000) },
    );
    expect(tally.accepted, 'the reader gave up on nearly every random document').toBeGreaterThan(tally.seen / 10);
  });

  it('accepts most of the documents written in its own subset', () => {
    // The reader is only useful if it rarely gives up on plain texts: quote every string, no odd indentation.
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.oneof(word, fc.integer({ min: 0, max: 9999 }), fc.array(word, { maxLength: 3 }))), { minLength: 1, maxLength: 6 }), (entries) => {
        const unique = [...new Map(entries).entries()];
        const text = unique.map(([k, v]) => (Array.isArray(v) ? `${k}:\n${v.map((x) => `  - ${x}`).join('\n')}` : `${k}: ${v}`)).join('\n') + '\n';
        const plain = readPlain(text, MAX_DEPTH);
        if (plain) accepted++;
        if (plain) expect(plain.data).toEqual(reference(text));
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(accepted).toBeGreaterThan(250);
  });
});

describe('the line reader on mutated specs', () => {
  const SHOP = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8').split('\n');
  const SPECIAL = [' ', ':', '-', '#', "'", '"', '{', '}', '[', ']', ',', '|', '>', '?', '~', '&', '*', '!', '\t', '0x1', '1e3', 'null', '.inf', '- ', ': ', ' #', '\\'];
  it('agrees with the Document API on every mutated text it accepts', () => {
    Object.assign(tally, { accepted: 0, seen: 0 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(SHOP.length - 1), fc.nat(60), fc.constantFrom(...SPECIAL), fc.constantFrom('insert', 'delete-line', 'indent', 'dedent')), { minLength: 1, maxLength: 3 }), (edits) => {
        const lines = [...SHOP];
        for (const [line, col, text, kind] of edits) {
          const l = lines[line % lines.length] ?? '';
          if (kind === 'insert') lines[line % lines.length] = l.slice(0, col) + text + l.slice(col);
          else if (kind === 'delete-line') lines.splice(line % lines.length, 1);
          else if (kind === 'indent') lines[line % lines.length] = `  ${l}`;
          else lines[line % lines.length] = l.replace(/^ {1,2}/, '');
        }
        expectAgreement(lines.join('\n'));
      }),
      { numRuns: Number(process.env.PLAIN_READER_RUNS ?? 2000) },
    );
    expect(tally.accepted, 'the reader gave up on nearly every mutated spec').toBeGreaterThan(tally.seen / 10);
  });
});
