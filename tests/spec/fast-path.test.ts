/**
 * The fast path (js-yaml) must agree with the Document API (yaml) whenever it accepts a text:
 * same data, and never a text the full parser rejects. Random line- and character-level
 * mutations of the shop spec, biased towards YAML's special characters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dump } from 'js-yaml';
import { MAX_DEPTH, parseWithDocument, readFast } from '../../src/spec/source.js';
import { ROOT } from '../helpers/system.js';

const SHOP = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8');
const LINES = SHOP.split('\n');
const SPECIAL = [' ', ':', '-', '#', "'", '"', '{', '}', '[', ']', ',', '|', '>', '?', '~', '@', '`', '\t', '\n', '0x1', '1e3', 'null', 'true', 'yes', '0o7', '.inf', '2024-01-01'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat(LINES.length - 1) }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat(LINES.length - 1) }),
  fc.record({ kind: fc.constant('insert' as const), line: fc.nat(LINES.length - 1), col: fc.nat(60), text: fc.constantFrom(...SPECIAL) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(LINES.length - 1), by: fc.integer({ min: -2, max: 2 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(lines: string[], m0: Mutation): string[] {
  const out = [...lines];
  const m = { ...m0, line: m0.line % Math.max(out.length, 1) };
  if (out.length === 0) return out;
  switch (m.kind) {
    case 'delete':
      out.splice(m.line, 1);
      break;
    case 'duplicate':
      out.splice(m.line, 0, out[m.line]);
      break;
    case 'insert': {
      const l = out[m.line];
      const col = Math.min(m.col, l.length);
      out[m.line] = l.slice(0, col) + m.text + l.slice(col);
      break;
    }
    case 'indent':
      out[m.line] = m.by > 0 ? ' '.repeat(m.by) + out[m.line] : out[m.line].slice(-m.by);
      break;
  }
  return out;
}

describe('fast YAML path', () => {
  it('reads the shop spec exactly as the Document API does', () => {
    const fast = readFast(SHOP);
    const full = parseWithDocument('shop.yaml', SHOP);
    expect(fast).toBeDefined();
    expect(full.ok && full.source.data).toEqual(fast!.data);
  });

  it('agrees with the Document API on every mutated text it accepts', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const text = ms.reduce(mutate, LINES).join('\n');
        const fast = readFast(text);
        if (!fast) return;
        const full = parseWithDocument('x.yaml', text);
        if (!full.ok && full.diagnostics.some((d) => /empty|nests deeper/.test(d.message))) return;
        expect(full.ok, `${text}\n${!full.ok ? full.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n') : ''}`).toBe(true);
        if (full.ok) expect(full.source.data).toEqual(fast.data);
      }),
      { numRuns: Number(process.env.FAST_PATH_RUNS ?? 3000) },
    );
  });

  it('sends anchors, aliases, tags and merge keys to the full parser', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', '<<: {a: 1}\n', '%YAML 1.2\n---\na: 1\n', '? a\n: 1\n']) expect(readFast(text), text).toBeUndefined();
  });
});

describe('the fast path’s nesting bound', () => {
  const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
  // Nested maps and lists, 40 to 90 levels deep, written by js-yaml in block, flow and mixed styles.
  const nested = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 3 }), tie('map'), tie('list')),
    map: fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie('node'), { minKeys: 1, maxKeys: 2 }),
    list: fc.array(tie('node'), { minLength: 1, maxLength: 2 }),
  })).node;
  const chain = fc.tuple(fc.integer({ min: 40, max: 90 }), fc.array(fc.boolean(), { minLength: 90, maxLength: 90 }), nested).map(([n, kinds, leaf]) => {
    let v: unknown = leaf;
    for (let i = 0; i < n; i++) v = kinds[i] ? { k: v } : [v];
    return v;
  });

  it('is never below the real depth, so a shallow verdict is safe', () => {
    fc.assert(
      fc.property(chain, fc.integer({ min: -1, max: 30 }), (data, flowLevel) => {
        const text = dump(data, { flowLevel, lineWidth: -1 });
        const fast = readFast(text);
        if (fast?.shallow) expect(depth(fast.data)).toBeLessThanOrEqual(MAX_DEPTH);
        if (fast) expect(depth(fast.data)).toBe(depth(data));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('calls the shop shallow, so its lint skips the exact walk', () => {
    expect(readFast(SHOP)?.shallow).toBe(true);
  });
});
