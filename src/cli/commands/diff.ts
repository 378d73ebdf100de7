/**
 * `microgen diff OLD_SPEC NEW_SPEC` and `microgen diff --base GIT_REF [SPEC]`: the
 * breaking-change report between two versions of a spec (SPEC §1).
 */
import type { Command } from 'commander';
import { formatText } from '../../diagnostics/format/text.js';
import { countChanges } from '../../diff/change.js';
import { diffModels } from '../../diff/compare.js';
import { DIFF_FORMATS, formatDiff, isFailing, type DiffFormat } from '../../diff/format.js';
import { GitError, readSpecAtRevision } from '../../diff/git.js';
import { locateChanges } from '../../diff/locate.js';
import { lintBytes, type LintResult } from '../../lint.js';
import type { SystemModel } from '../../model/types.js';
import type { SpecSource } from '../../spec/source.js';
import { failingAsJson, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { readSpecBytes, resolveSpec } from '../spec-file.js';

export interface DiffOptions {
  base?: string;
  format: DiffFormat;
  verbose?: boolean;
  strict?: boolean;
}

function parseFormat(value: string): DiffFormat {
  if (!(DIFF_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${DIFF_FORMATS.join(', ')}, not "${value}"`);
  return value as DiffFormat;
}

function readLocal(io: Io, arg: string | undefined): { bytes: Buffer; display: string; path: string } {
  const spec = resolveSpec(io.cwd, arg);
  return { bytes: readSpecBytes(spec), display: spec.display, path: spec.path };
}

/**
 * Lint one side. The new spec must be free of errors. The old one only needs a model: an
 * old revision may predate a rule, and refusing to compare it would block every CI run.
 */
function loadSide(io: Io, role: 'old' | 'new', display: string, bytes: Uint8Array): { model: SystemModel; source: SpecSource } {
  const result: LintResult = lintBytes(display, bytes);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.model && result.source && (errors.length === 0 || role === 'old')) {
    if (errors.length > 0) io.err(`note: the old spec ${display} has ${errors.length} lint error${errors.length === 1 ? '' : 's'}; comparing anyway\n`);
    return { model: result.model, source: result.source };
  }
  io.err(formatText(errors, io.errPaint));
  throw new UsageError(`cannot compare: the ${role} spec ${display} has lint errors (listed above); fix them first`, errors);
}

export function runDiff(io: Io, args: string[], opts: DiffOptions): Promise<number> {
  // The files compared, as far as they were read when the command stopped (null: not yet).
  const files: { old: string | null; new: string | null } = { old: null, new: null };
  const empty = () => ({ ...files, breaking: false, counts: countChanges([]), changes: [] });
  return failingAsJson(io, opts.format === 'json', empty, () => compare(io, args, opts, files));
}

async function compare(io: Io, args: string[], opts: DiffOptions, files: { old: string | null; new: string | null }): Promise<number> {
  let oldSide: { bytes: Uint8Array; display: string };
  let newSide: { bytes: Uint8Array; display: string };
  if (opts.base !== undefined) {
    if (args.length > 1) throw new UsageError(`with --base, give at most one spec (the new one), not ${args.length}`);
    const current = readLocal(io, args[0]);
    try {
      oldSide = await readSpecAtRevision(current.path, opts.base);
    } catch (err) {
      if (err instanceof GitError) throw new UsageError(err.message);
      throw err;
    }
    newSide = current;
  } else {
    if (args.length !== 2) throw new UsageError(`give two specs (OLD_SPEC NEW_SPEC), or --base GIT_REF [SPEC]; got ${args.length}`);
    oldSide = readLocal(io, args[0]);
    newSide = readLocal(io, args[1]);
  }
  files.old = oldSide.display;
  files.new = newSide.display;
  const older = loadSide(io, 'old', oldSide.display, oldSide.bytes);
  const newer = loadSide(io, 'new', newSide.display, newSide.bytes);
  const changes = locateChanges(diffModels(older.model, newer.model), older.source, newer.source);
  const report = {
    oldFile: oldSide.display,
    newFile: newSide.display,
    changes,
    verbose: opts.verbose === true,
    strict: opts.strict === true,
    oldFromGit: opts.base !== undefined,
  };
  io.out(formatDiff(report, opts.format, io.paint));
  return changes.some((c) => isFailing(c, report.strict)) ? 1 : 0;
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('report breaking changes between two versions of a spec')
    .argument('[specs...]', 'OLD_SPEC NEW_SPEC, or with --base only the new spec (default ./microgen.yaml)')
    .option('--base <ref>', 'compare the spec with its own version at this git revision (git show REF:path)')
    .option('-f, --format <format>', `output format: ${DIFF_FORMATS.join(', ')}`, parseFormat, 'text')
    .option('-v, --verbose', 'also list safe changes (additions, widened inputs)')
    .option('--strict', 'fail (exit 1) on source-level changes too')
    .addHelpText(
      'after',
      `
Each change has a severity:
  wire    running clients or subscribers built from the old spec break (removed or moved
          operations, routes, events and services; removed response or payload fields;
          narrowed inputs, widened outputs; new required request fields; an event payload
          changed without a version bump; an event still subscribed that nobody publishes)
  source  nothing breaks on the wire, but code written against the old generated code must
          change (renamed operations, handlers that now receive or must return other types)
  info    safe (additions, widened inputs, narrowed outputs): shown with --verbose

Examples:
  $ microgen diff old/microgen.yaml microgen.yaml
  $ microgen diff --base origin/main                  # ./microgen.yaml against origin/main
  $ microgen diff --base HEAD~1 services.yaml --format github
  $ microgen diff a.yaml b.yaml --format json --verbose

Exit codes: 0 no breaking change, 1 breaking (wire; also source with --strict),
2 usage, unreadable file, unknown revision, or a spec with lint errors.`,
    )
    .action(async (specs: string[], opts: DiffOptions) => setExit(await runDiff(io, specs, opts)));
}
