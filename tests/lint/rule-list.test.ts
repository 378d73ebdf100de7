/**
 * The rule list (src/checks/rules.ts: SARIF's `rules`, docs) cannot drift from what src/ emits:
 * every rule id a diagnostic can carry is collected from the emitters in src/ and must be
 * listed with the severity it is emitted with, every listed rule must still be emitted, and
 * docs/spec.md's rule table must have a row for each.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/rules.js';
import { ROOT } from './helpers.js';

interface Emitted {
  readonly rule: string;
  readonly severity: string;
  readonly where: string;
}

const SOURCES = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: `src/${f}`, text: readFileSync(join(ROOT, 'src', f), 'utf8') }));

/** Files whose `error(…)` / `warning(…)` are the finding helpers of src/checks/finding.ts. */
const usesFindings = (text: string): boolean => /import \{[^}]*\b(error|warning)\b[^}]*\} from '[./]*(checks\/)?finding\.js'/.test(text);

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

function emitted(): { found: Emitted[]; unreadable: string[] } {
  const found: Emitted[] = [];
  const unreadable: string[] = [];
  for (const { file, text } of SOURCES) {
    const where = (i: number) => `${file}:${lineOf(text, i)}`;
    if (usesFindings(text)) {
      // warning('port-moved', …) and error('duplicate-port', …)
      for (const m of text.matchAll(/\b(error|warning)\(\s*(?:'([^']*)'|([^\s,)][^,)]*))/g)) {
        if (m[2] !== undefined) found.push({ rule: m[2], severity: m[1], where: where(m.index) });
        else unreadable.push(`${where(m.index)}: ${m[0]}`);
      }
    }
    // diagnosticAt(source, path, 'error', 'schema', …); a finding passed through (f.severity, f.rule) was counted above.
    for (const m of text.matchAll(/(?<!function )\bdiagnosticAt\(([^;]*?)\)/g)) {
      const literal = /'(error|warning)',\s*'([^']+)'/.exec(m[1]);
      if (literal) found.push({ rule: literal[2], severity: literal[1], where: where(m.index) });
      else if (!/\bf\.severity, f\.rule\b/.test(m[1])) unreadable.push(`${where(m.index)}: ${m[0].slice(0, 80)}`);
    }
    // Diagnostics built as object literals: { …, severity: 'error', rule: 'yaml-syntax', … }
    for (const m of text.matchAll(/severity: '(error|warning)', rule: '([^']+)'/g)) found.push({ rule: m[2], severity: m[1], where: where(m.index) });
  }
  return { found, unreadable };
}

describe('the rule list', () => {
  const { found, unreadable } = emitted();

  it('finds the emitters it knows of (the scan itself works)', () => {
    const rules = new Set(found.map((e) => e.rule));
    for (const rule of ['yaml-syntax', 'schema', 'duplicate-port', 'port-moved', 'unused-event']) expect(rules, rule).toContain(rule);
  });

  it('every emitter names its rule as a literal the scan can read', () => {
    expect(unreadable).toEqual([]);
  });

  it('lists every rule emitted in src/, with the severity it is emitted with', () => {
    const listed = new Map(RULES.map((r) => [r.id, r.severity]));
    const wrong = found.filter((e) => listed.get(e.rule) !== e.severity).map((e) => `${e.where}: ${e.severity} ${e.rule} (listed: ${listed.get(e.rule) ?? 'missing'})`);
    expect(wrong).toEqual([]);
  });

  it('lists no rule that nothing emits any more', () => {
    const emittedRules = new Set(found.map((e) => e.rule));
    expect(RULES.map((r) => r.id).filter((id) => !emittedRules.has(id))).toEqual([]);
  });

  it('lists each rule once', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("has a row for every rule, with its severity, in docs/spec.md's rule table", () => {
    const doc = readFileSync(join(ROOT, 'docs/spec.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `([a-z-]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]));
    expect(RULES.filter((r) => rows.get(r.id) !== r.severity).map((r) => `${r.id} (${r.severity})`)).toEqual([]);
  });
});
