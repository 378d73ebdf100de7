/**
 * Property tests: thousands of random mutations of examples/shop/microgen.yaml — text-level
 * (garbage at random offsets, truncation, deleted lines, wrong-typed values, deep `[[[…]]]`
 * nesting, random unicode) and structure-level (deleted keys, references renamed to random
 * strings, values of the wrong type) — must never make lint throw, and every diagnostic must
 * be well-formed and positioned inside the file. A few hundred go through the CLI on temp
 * files: exit 0 or 1 only, nothing on stderr.
 *
 * About 2,500 runs in all keep the file under ~20 s on two cores; raise them locally with
 * LINT_PROPERTY_RUNS=20000 (and LINT_PROPERTY_CLI_RUNS) to search harder. fast-check prints the seed of any failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/rules.js';
import { compareDiagnostics, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';
import { lintRepoFile } from './helpers.js';

const SHOP = lintRepoFile('examples/shop/microgen.yaml').source!.text;
const LINES = SHOP.split('\n');
const RUNS = Number(process.env.LINT_PROPERTY_RUNS ?? 900);

/**
 * The invariants every lint result must keep, whatever the input. Plain checks and one
 * throw rather than an `expect` per field: thousands of runs with dozens of diagnostics each
 * made vitest's matchers the slowest part of the test.
 */
function checkResult(text: string, diagnostics: readonly Diagnostic[]): void {
  const lineCount = text.split('\n').length;
  const fail = (why: string, d?: Diagnostic): never => {
    throw new Error(`${why}${d ? `: ${JSON.stringify(d)}` : ''}\n--- input ---\n${text.slice(0, 4000)}`);
  };
  for (const d of diagnostics) {
    if (d.file !== 'shop.yaml') fail('wrong file', d);
    if (!Number.isInteger(d.line) || d.line < 1 || d.line > lineCount) fail('line outside the file', d);
    if (!Number.isInteger(d.column) || d.column < 1) fail('bad column', d);
    if (!Number.isInteger(d.endLine) || d.endLine < d.line) fail('endLine before line', d);
    if (!Number.isInteger(d.endColumn) || (d.endLine === d.line && d.endColumn < d.column)) fail('span ends before it starts', d);
    if (d.severity !== 'error' && d.severity !== 'warning') fail('bad severity', d);
    const rule = RULES.find((r) => r.id === d.rule);
    if (!rule) fail('rule not in RULES', d);
    if (rule!.severity !== d.severity) fail('severity differs from rules.ts', d);
    if (typeof d.message !== 'string' || d.message.trim() === '') fail('empty message', d);
    if (d.message.includes('[object Object]')) fail('[object Object] in the message', d);
    // One line, and no character that reorders or hides text in a terminal.
    if (/[\u0000-\u001f\u007f\u2028-\u202e\u2066-\u2069]/.test(d.message)) fail('control character in the message', d);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(d.message)) fail('half a surrogate pair in the message', d);
    // `undefined` in a message is a bug, unless the user wrote it.
    if (d.message.includes('undefined') && !text.includes('undefined')) fail('undefined in the message', d);
    // A function's source in a message (a Buffer from `!!binary` once got there).
    if (/\bfunction\s*\w*\s*\(|\[native code\]/.test(d.message)) fail('code in the message', d);
  }
  for (let i = 1; i < diagnostics.length; i++) if (compareDiagnostics(diagnostics[i - 1], diagnostics[i]) >= 0) fail('not sorted by position, or duplicated', diagnostics[i]);
}

function lintAndCheck(text: string): void {
  const result = lintText('shop.yaml', text);
  checkResult(text, result.diagnostics);
  // A model exists exactly when the schema accepted the spec.
  const rejected = result.diagnostics.some((d) => d.rule === 'yaml-syntax' || d.rule === 'schema');
  if ((result.model === undefined) !== rejected) throw new Error(`model ${result.model ? 'built' : 'missing'} with ${rejected ? '' : 'no '}schema errors\n${text}`);
}

// ---- text-level mutations -------------------------------------------------------------

const garbage = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(':', ': ', '- ', '[', ']', '{', '}', '"', "'", '#', '&a ', '*a', '!!binary ', '? ', '|', '>', '\t', '\n', '\r\n', '---\n', '...', '%YAML 1.2\n', '\ufeff', '\u0000', '\u2028', '<<: *a', '~', '.nan', '1e999', '0x1F', '  ', '@', '`'),
);

const WRONG_VALUES = ['5', '-1', '1.5', 'true', 'null', '~', '[]', '{}', '[1, 2]', '{ a: 1 }', '""', '"x"', 'Foo', 'a.b', 'ünïcödé', '🚀', '.inf', '0o17', '2024-01-01', '"../../etc/passwd"', 'con', '__proto__', 'constructor'];

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

const textMutation = fc.oneof(
  // garbage at a random offset
  fc.tuple(fc.constant('insert' as const), fc.nat(SHOP.length), garbage).map(([, at, s]) => (t: string) => t.slice(0, Math.min(at, t.length)) + s + t.slice(Math.min(at, t.length))),
  // truncate
  fc.tuple(fc.constant('truncate' as const), fc.nat(SHOP.length)).map(([, at]) => (t: string) => t.slice(0, at)),
  // delete a line
  fc.tuple(fc.constant('delete' as const), fc.nat(LINES.length - 1)).map(([, i]) => (t: string) => t.split('\n').filter((_, j) => j !== i).join('\n')),
  // replace a line's value with a value of another type
  fc.tuple(fc.constant('value' as const), fc.nat(LINES.length - 1), fc.constantFrom(...WRONG_VALUES)).map(([, i, v]) => (t: string) => t.split('\n').map((l, j) => (j === i ? l.replace(/:( .*)?$/, `: ${v}`) : l)).join('\n')),
  // rename a reference to a random string
  fc.tuple(fc.constant('rename' as const), fc.nat(LINES.length - 1), fc.stringMatching(/^[a-z][a-z0-9.-]{0,14}$/)).map(([, i, v]) => (t: string) =>
    t.split('\n').map((l, j) => (j === i ? l.replace(/\b(service|action|compensation|event|host|start|when|emits|fails|handler|body|http):\s*\S.*$/, `$1: ${v}`) : l)).join('\n'),
  ),
  // deep nesting, flow or block, hundreds deep
  fc.tuple(fc.constant('nest' as const), fc.nat(LINES.length - 1), fc.integer({ min: 30, max: 600 }), fc.constantFrom(['[', ']'], ['{a: ', '}'], ['[{a: ', '}]'])).map(([, i, depth, [o, c]]) => (t: string) =>
    t.split('\n').map((l, j) => (j === i ? l.replace(/:( .*)?$/, `: ${nested(depth, o, c)}`) : l)).join('\n'),
  ),
  // indentation damage
  fc.tuple(fc.constant('indent' as const), fc.nat(LINES.length - 1), fc.integer({ min: -4, max: 4 })).map(([, i, by]) => (t: string) =>
    t.split('\n').map((l, j) => (j === i ? (by > 0 ? ' '.repeat(by) + l : l.slice(-by)) : l)).join('\n'),
  ),
);

// ---- structure-level mutations ------------------------------------------------------------

const BASE = parse(SHOP) as Record<string, unknown>;
type Path = (string | number)[];
const PATHS: Path[] = [];
(function walk(v: unknown, path: Path): void {
  if (path.length) PATHS.push(path);
  if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
})(BASE, []);

// Declared names, undeclared but well-formed ones (billing, order.shipped, payment.capture,
// Cart: these reach the semantic checks) and ill-formed ones.
const NAMES = ['user', 'order', 'payment', 'billing', 'order.created', 'order.shipped', 'payment.*', 'refund.*', 'Item', 'Money', 'Cart', 'Error', 'getUser', 'capture', 'order.createOrder', 'payment.capture', 'billing.charge', 'string?', 'Item[]', 'a|b', '/api/x', 'GET /x/{id}', '8001'];

const structMutation = fc.record({
  path: fc.constantFrom(...PATHS),
  op: fc.constantFrom('delete', 'value', 'rename-key', 'reference'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...NAMES), fc.string({ maxLength: 10 })),
  name: fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[a-z][a-zA-Z0-9.-]{0,12}$/), fc.string({ minLength: 1, maxLength: 8 })),
});

interface StructMutation {
  readonly path: Path;
  readonly op: string;
  readonly value: unknown;
  readonly name: string;
}

function applyStruct(root: Record<string, unknown>, m: StructMutation): void {
  let parent: unknown = root;
  for (const k of m.path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return;
    parent = (parent as Record<string | number, unknown>)[k];
  }
  if (parent === null || typeof parent !== 'object') return;
  const p = parent as Record<string | number, unknown>;
  const key = m.path[m.path.length - 1];
  if (m.op === 'delete') {
    if (Array.isArray(p)) p.splice(Number(key), 1);
    else delete p[key];
  } else if (m.op === 'value') {
    p[key] = m.value;
  } else if (m.op === 'reference') {
    if (typeof p[key] === 'string') p[key] = m.name;
  } else if (!Array.isArray(p) && key in p) {
    const v = p[key];
    delete p[key];
    p[m.name] = v;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'microgen-lint-property-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lint on random mutations of the shop spec', () => {
  it('the unmutated shop is clean (the baseline the mutations start from)', () => {
    expect(lintText('shop.yaml', SHOP).diagnostics).toEqual([]);
  });

  it('text mutations: never throws, diagnostics well-formed', () => {
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 3 }), (ms) => {
        lintAndCheck(ms.reduce((t, m) => m(t), SHOP));
      }),
      { numRuns: RUNS },
    );
  });

  it('structure mutations: never throws, diagnostics well-formed', () => {
    fc.assert(
      fc.property(fc.array(structMutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const data = structuredClone(BASE);
        for (const m of ms) applyStruct(data, m);
        lintAndCheck(stringify(data));
      }),
      { numRuns: RUNS },
    );
  });

  it('reference renames reach the semantic checks (the mutations are not all rejected by the schema)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...PATHS.filter((p) => typeof p[p.length - 1] === 'number' || /^(service|action|compensation|event|host|start|when|emits|fails)$/.test(String(p[p.length - 1])))), fc.constantFrom(...NAMES), (path, name) => {
        const data = structuredClone(BASE);
        applyStruct(data, { path, op: 'reference', value: null, name });
        const text = stringify(data);
        const result = lintText('shop.yaml', text);
        checkResult(text, result.diagnostics);
        for (const d of result.diagnostics) seen.add(d.rule);
      }),
      { numRuns: 300 },
    );
    for (const rule of ['unknown-service', 'unknown-event', 'unknown-operation']) expect(seen, [...seen].join(', ')).toContain(rule);
  });

  it('through the CLI on temp files: exit 0 or 1 only, nothing on stderr, exit 1 exactly when there are errors', async () => {
    const samples = fc.sample(fc.array(textMutation, { minLength: 1, maxLength: 3 }), { numRuns: Number(process.env.LINT_PROPERTY_CLI_RUNS ?? 200) });
    const formats = ['json', 'text', 'github', 'sarif'];
    let i = 0;
    for (const ms of samples) {
      const text = ms.reduce((t, m) => m(t), SHOP);
      const file = join(tmp, `spec-${i}.yaml`);
      writeFileSync(file, text);
      const format = formats[i++ % formats.length];
      const run = await runCli(['lint', file, '--format', format], tmp);
      expect(run.stderr, text).toBe('');
      expect([0, 1], text).toContain(run.code);
      if (format === 'json') {
        const out = JSON.parse(run.stdout) as { errors: number };
        expect(run.code).toBe(out.errors > 0 ? 1 : 0);
      }
    }
  }, 60_000);
});
