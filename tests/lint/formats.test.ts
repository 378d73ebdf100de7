/**
 * Golden tests of the five output formats of `microgen lint` on one bad spec
 * (tests/fixtures/bad-spec/microgen.yaml: semantic errors and warnings).
 *
 * The goldens live in tests/golden/lint/. After an intended change of the output, rewrite
 * them with
 *
 *     UPDATE_GOLDEN=1 npx vitest run tests/lint/formats.test.ts
 *
 * and review the diff. The CLI runs from the repository root with a relative spec path, so
 * the file names in the goldens do not depend on where the repository is checked out. The
 * tool version in SARIF is replaced by `<version>` so a release does not touch the goldens.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/checks/rules.js';
import { compareDiagnostics, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { VERSION } from '../../src/cli/version.js';
import { formatCodeClimate } from '../../src/diagnostics/format/codeclimate.js';
import { formatSarif } from '../../src/diagnostics/format/sarif.js';
import { lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';
import { ROOT } from './helpers.js';

const SPEC = 'tests/fixtures/bad-spec/microgen.yaml';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const GOLDEN: Record<string, string> = { text: 'text.txt', json: 'json.json', github: 'github.txt', sarif: 'sarif.json', codeclimate: 'codeclimate.json' };

async function lintAs(format: string): Promise<string> {
  const run = await runCli(['lint', SPEC, '--format', format], ROOT);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  return format === 'sarif' ? run.stdout.split(`"version": "${VERSION}"`).join('"version": "<version>"') : run.stdout;
}

describe('lint output formats (golden)', () => {
  it.each(Object.entries(GOLDEN))('%s matches tests/golden/lint/%s', async (format, file) => {
    const out = await lintAs(format);
    const path = join(ROOT, 'tests/golden/lint', file);
    if (UPDATE) writeFileSync(path, out);
    expect(out).toBe(readFileSync(path, 'utf8'));
  });

  it('json lists the diagnostics sorted by position, with the counts', async () => {
    const out = JSON.parse(await lintAs('json')) as { diagnostics: Diagnostic[]; errors: number; warnings: number };
    const list = out.diagnostics;
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect([...list].sort(compareDiagnostics)).toEqual(list);
    // Strictly increasing positions here: the fixture has no two findings at one place.
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      expect(b.line > a.line || (b.line === a.line && b.column > a.column), `${a.line}:${a.column} before ${b.line}:${b.column}`).toBe(true);
    }
    expect(out.errors).toBe(list.filter((d) => d.severity === 'error').length);
    expect(out.warnings).toBe(list.filter((d) => d.severity === 'warning').length);
    expect(out.errors).toBeGreaterThan(0);
    expect(out.warnings).toBeGreaterThan(0);
    for (const d of list) expect(Object.keys(d).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
    expect(new Set(list.map((d) => d.file))).toEqual(new Set([SPEC]));
  });

  it('text, github and sarif carry the same diagnostics as json, in the same order', async () => {
    const list = (JSON.parse(await lintAs('json')) as { diagnostics: Diagnostic[] }).diagnostics;
    const text = (await lintAs('text')).split('\n').filter((l) => l.startsWith(SPEC));
    expect(text).toEqual(list.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.rule}: ${d.message}`));
    const github = (await lintAs('github')).trimEnd().split('\n');
    expect(github).toEqual(
      list.map((d) => `::${d.severity} file=${d.file},line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn},title=${d.rule}::${d.rule}: ${d.message}`),
    );
    const sarif = JSON.parse(await lintAs('sarif')) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    expect(sarif.runs[0].results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.region.startLine, r.locations[0].physicalLocation.region.startColumn])).toEqual(
      list.map((d) => [d.rule, d.severity, d.line, d.column]),
    );
  });

  it('codeclimate (GitLab Code Quality) carries the same diagnostics, each with its own fingerprint', async () => {
    const list = (JSON.parse(await lintAs('json')) as { diagnostics: Diagnostic[] }).diagnostics;
    type Issue = { check_name: string; description: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number; end: number } } };
    const issues = JSON.parse(await lintAs('codeclimate')) as Issue[];
    expect(issues.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin, i.description])).toEqual(
      list.map((d) => [d.rule, d.severity === 'error' ? 'major' : 'minor', d.file, d.line, `${d.rule}: ${d.message}`]),
    );
    for (const i of issues) expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    const clean = await runCli(['lint', 'examples/shop/microgen.yaml', '--format', 'codeclimate'], ROOT);
    expect([clean.code, clean.stdout]).toEqual([0, '[]\n']);
  });

  it('codeclimate fingerprints do not depend on the line, and tell identical issues apart', () => {
    const d: Diagnostic = { file: 'a.yaml', line: 3, column: 1, endLine: 3, endColumn: 4, severity: 'warning', rule: 'unused-event', message: 'm' };
    const [first, again, moved] = [formatCodeClimate([d, d]), formatCodeClimate([d]), formatCodeClimate([{ ...d, line: 9, endLine: 9 }])].map((t) => (JSON.parse(t) as { fingerprint: string }[]).map((i) => i.fingerprint));
    expect(first[0]).not.toBe(first[1]);
    expect(again[0]).toBe(first[0]);
    expect(moved[0]).toBe(first[0]);
  });

  it('text ends with the counts', async () => {
    expect(await lintAs('text')).toMatch(/\n\n6 errors, 4 warnings\n$/);
  });
});

describe('SARIF', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/sarif-2.1.0.schema.json'), 'utf8')) as object;
  // CommonJS packages: `.default` is the export under both Node's and vitest's interop.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);

  it('validates against the SARIF 2.1.0 schema', async () => {
    const log = JSON.parse(await lintAs('sarif')) as unknown;
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('validates when there is nothing to report, and describes every rule', async () => {
    const run = await runCli(['lint', 'examples/shop/microgen.yaml', '--format', 'sarif'], ROOT);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout) as { runs: { results: unknown[]; tool: { driver: { rules: { id: string }[] } } }[] };
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  });

  it('the schema really checks: a result without a message is refused', async () => {
    const log = JSON.parse(await lintAs('sarif')) as { runs: { results: Record<string, unknown>[] }[] };
    delete log.runs[0].results[0].message;
    expect(validate(log)).toBe(false);
  });

  it('validates for yaml-syntax and schema failures too', () => {
    for (const text of ['microgen: 1\nname: [\n', 'microgen: 1\nname: Shop\nservces: {}\n']) {
      const diagnostics = lintText('spec.yaml', text).diagnostics;
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(validate(JSON.parse(formatSarif(diagnostics, VERSION))), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});

describe('a run that stops before it can lint (no such spec)', () => {
  const stopped = async (format: string) => {
    const run = await runCli(['lint', 'tests/fixtures/no-such-spec.yaml', '--format', format], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-spec\.yaml/);
    return run.stdout;
  };

  it('sarif records an unsuccessful invocation with the reason, valid SARIF 2.1.0', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/sarif-2.1.0.schema.json'), 'utf8')) as object;
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    const log = JSON.parse(await stopped('sarif')) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
    expect(ajv.validate(schema, log), JSON.stringify(ajv.errors)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/no-such-spec\.yaml/);
  });

  it('github prints one error annotation for the job', async () => {
    expect(await stopped('github')).toMatch(/^::error title=microgen::[^\n]*no-such-spec\.yaml[^\n]*\n$/);
  });

  it('codeclimate prints an empty report, still JSON', async () => {
    expect(JSON.parse(await stopped('codeclimate'))).toEqual([]);
  });
});
