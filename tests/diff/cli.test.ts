/** `microgen diff` as a command: formats, positions, usage errors, and `--base` against git history. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { diffJson, diffTexts, edit, MINIMAL, SHOP } from './helpers.js';

const LIST_PRODUCTS = `      listProducts:
        http: GET /products
        query: { limit: integer?, cursor: string? }
        responses: { 200: "Product[]" }
`;
const withoutList = edit(SHOP, [[LIST_PRODUCTS, '']]);
const lineOf = (text: string, line: string): number => text.split('\n').indexOf(line) + 1;

describe('positions', () => {
  it('a removed thing points into the old spec, a changed one into the new spec', async () => {
    const after = edit(withoutList, [['http: GET /products/{id}', 'http: GET /items/{id}']]);
    const { report } = await diffJson(SHOP, after);
    expect(report.changes.find((c) => c.kind === 'operation-removed')).toMatchObject({
      file: 'old.yaml',
      line: lineOf(SHOP, '      listProducts:'),
      column: 7,
    });
    expect(report.changes.find((c) => c.kind === 'operation-moved')).toMatchObject({
      file: 'new.yaml',
      line: lineOf(after, '        http: GET /items/{id}'),
      column: 9,
    });
  });
});

describe('formats', () => {
  it('text: one line per change with file:line:col, severity and kind, then a summary', async () => {
    const run = await diffTexts(SHOP, withoutList);
    expect(run.code).toBe(1);
    const [first, , summary] = run.stdout.trimEnd().split('\n');
    expect(first).toBe(
      `old.yaml:${lineOf(SHOP, '      listProducts:')}:7: wire operation-removed services.product.operations.listProducts: operation \`listProducts\` (GET /products) was removed: clients calling it get 404`,
    );
    expect(summary).toBe('1 breaking change (wire), 0 source-level changes, 0 safe changes');
  });

  it('text: safe changes are hidden unless --verbose, and the run passes', async () => {
    const after = edit(SHOP, [['      NewUser:\n        name: string', '      NewUser:\n        nickname: string?\n        name: string']]);
    const quiet = await diffTexts(SHOP, after);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('nickname');
    expect(quiet.stdout).toContain('✓ no breaking changes from old.yaml to new.yaml');
    expect(quiet.stdout).toContain('1 safe change hidden: --verbose shows them');
    const verbose = await diffTexts(SHOP, after, ['--verbose']);
    expect(verbose.stdout).toMatch(/new\.yaml:\d+:\d+: info field-added services\.user\.schemas\.NewUser\.nickname/);
  });

  it('identical specs: nothing to report, exit 0', async () => {
    const run = await diffTexts(SHOP, SHOP, ['--verbose']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('✓ no breaking changes from old.yaml to new.yaml: 0 breaking changes (wire), 0 source-level changes, 0 safe changes\n');
  });

  it('json: counts, the breaking flag and every field of a change', async () => {
    const { report, code } = await diffJson(SHOP, withoutList);
    expect(code).toBe(1);
    expect(report).toMatchObject({ old: 'old.yaml', new: 'new.yaml', breaking: true, counts: { wire: 1, source: 0, info: 0 } });
    expect(Object.keys(report.changes[0]).sort()).toEqual(['column', 'file', 'kind', 'line', 'message', 'severity', 'where']);
  });

  it('github: ::error for wire changes, ::warning for source-level ones', async () => {
    const after = edit(withoutList, [['      getProduct:\n', '      fetchProduct:\n']]);
    const run = await diffTexts(SHOP, after, ['--format', 'github']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=old\.yaml,line=\d+,col=7,title=microgen diff%3A operation-removed::services\.product\.operations\.listProducts: /);
    expect(lines[1]).toMatch(/^::warning file=new\.yaml,line=\d+,col=\d+,title=microgen diff%3A operation-renamed::/);
  });

  it('github with --strict: source-level changes become errors', async () => {
    const after = edit(SHOP, [['      getProduct:\n', '      fetchProduct:\n']]);
    const run = await diffTexts(SHOP, after, ['--format', 'github', '--strict']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error .*operation-renamed/);
  });
});

describe('usage', () => {
  it('needs two specs without --base', async () => {
    const run = await runCli(['diff', 'examples/shop/microgen.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give two specs (OLD_SPEC NEW_SPEC), or --base GIT_REF [SPEC]');
  });

  it('refuses a new spec with lint errors, naming the file (exit 2)', async () => {
    const broken = edit(MINIMAL, [['      service: greeter\n', '      service: greetr\n']]);
    const run = await diffTexts(MINIMAL, broken);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/new\.yaml:\d+:\d+: error unknown-service/);
    expect(run.stderr).toContain('cannot compare: the new spec new.yaml has lint errors');
    expect(run.stdout).toBe('');
  });

  it('--format json: a usage error or a spec with lint errors is JSON on stdout too, still exit 2', async () => {
    const empty = { breaking: false, counts: { wire: 0, source: 0, info: 0 }, changes: [] };
    const args = await runCli(['diff', 'examples/shop/microgen.yaml', '--format', 'json']);
    expect(args.code).toBe(2);
    expect(JSON.parse(args.stdout)).toEqual({ old: null, new: null, ...empty, error: 'give two specs (OLD_SPEC NEW_SPEC), or --base GIT_REF [SPEC]; got 1' });
    const broken = await diffTexts(MINIMAL, edit(MINIMAL, [['      service: greeter\n', '      service: greetr\n']]), ['--format', 'json']);
    expect(broken.code).toBe(2);
    const report = JSON.parse(broken.stdout);
    expect(report).toMatchObject({ old: 'old.yaml', new: 'new.yaml', ...empty, error: expect.stringContaining('cannot compare: the new spec new.yaml has lint errors') });
    expect(report.diagnostics.map((d: { rule: string }) => d.rule)).toEqual(['unknown-service']);
  });

  it('refuses an old spec that is not a spec at all (exit 2)', async () => {
    const run = await diffTexts('name: [unclosed\n', MINIMAL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot compare: the old spec old.yaml has lint errors');
  });

  it('a missing file is a usage error', async () => {
    const run = await runCli(['diff', 'nope.yaml', 'examples/minimal/microgen.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read nope.yaml');
  });

  it('rejects an unknown format', async () => {
    const run = await runCli(['diff', 'a', 'b', '--format', 'sarif']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be one of text, json, github');
  });

  it('--help explains severities and shows examples', async () => {
    const run = await runCli(['diff', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('microgen diff --base origin/main');
    expect(run.stdout).toMatch(/wire\s+running clients/);
  });
});

describe('--base GIT_REF', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=microgen test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });

  function repo(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-git-'));
    git(dir, 'init', '-q');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'spec');
    return dir;
  }

  it('compares ./microgen.yaml with its committed version', async () => {
    const dir = repo({ 'microgen.yaml': SHOP });
    writeFileSync(join(dir, 'microgen.yaml'), withoutList);
    const run = await runCli(['diff', '--base', 'HEAD', '--format', 'json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.old).toBe('HEAD:microgen.yaml');
    expect(report.new).toBe('microgen.yaml');
    expect(report.changes).toEqual([expect.objectContaining({ kind: 'operation-removed', severity: 'wire', file: 'HEAD:microgen.yaml' })]);
  });

  it('unchanged work tree: exit 0', async () => {
    const dir = repo({ 'microgen.yaml': SHOP });
    const run = await runCli(['diff', '--base', 'HEAD'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no breaking changes from HEAD:microgen.yaml to microgen.yaml');
  });

  it('takes the path relative to the repository root, from a subfolder', async () => {
    const dir = repo({ 'specs/shop/microgen.yaml': SHOP });
    writeFileSync(join(dir, 'specs/shop/microgen.yaml'), withoutList);
    const run = await runCli(['diff', '--base', 'HEAD', 'shop'], join(dir, 'specs'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('HEAD:specs/shop/microgen.yaml');
  });

  it('github annotations for things only in the old revision carry no file', async () => {
    const dir = repo({ 'microgen.yaml': SHOP });
    writeFileSync(join(dir, 'microgen.yaml'), withoutList);
    const run = await runCli(['diff', '--base', 'HEAD', '--format', 'github'], dir);
    expect(run.stdout).toMatch(/^::error title=microgen diff%3A operation-removed::services\.product\.operations\.listProducts: .*\(HEAD:microgen\.yaml:\d+\)\n$/);
  });

  it('an unknown revision is a usage error', async () => {
    const dir = repo({ 'microgen.yaml': SHOP });
    const run = await runCli(['diff', '--base', 'no-such-branch'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read microgen.yaml at no-such-branch');
  });

  it('a spec that did not exist at the revision is a usage error', async () => {
    const dir = repo({ 'README.md': 'hi\n' });
    writeFileSync(join(dir, 'microgen.yaml'), SHOP);
    const run = await runCli(['diff', '--base', 'HEAD'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read microgen.yaml at HEAD');
  });

  it('a revision that looks like an option is refused before git sees it', async () => {
    const dir = repo({ 'microgen.yaml': SHOP });
    const run = await runCli(['diff', '--base=--output=/tmp/x'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a git revision');
  });

  it('outside a git repository: a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-nogit-'));
    writeFileSync(join(dir, 'microgen.yaml'), SHOP);
    const run = await runCli(['diff', '--base', 'HEAD'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not inside a git repository');
  });

  it('with --base, at most one spec', async () => {
    const run = await runCli(['diff', '--base', 'HEAD', 'a.yaml', 'b.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('with --base, give at most one spec');
  });
});
