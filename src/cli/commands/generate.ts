/**
 * `microgen generate [SPEC] [--out DIR] [--dry-run] [--force]` and `microgen check`:
 * the three endings of one engine (src/engine.ts).
 */
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { acquireLock, LockHeld, type Lock } from '../../apply/lock.js';
import { MANIFEST_PATH, ManifestError } from '../../apply/manifest.js';
import { UserFileSyntaxError } from '../../apply/parse-check.js';
import type { Action } from '../../apply/reconcile.js';
import { hintText, type Rename } from '../../plan/renames.js';
import { actionDiff, ApplyRefused, applyPlan, changesDisk, conflictsOf, planRun, recover, strayTemps, upToDate, type EngineInput, type EngineResult, type Plan } from '../../engine.js';
import { formatText } from '../../diagnostics/format/text.js';
import { PlanError } from '../../plan/tree.js';
import { ExitError, failingAsJson, UsageError } from '../errors.js';
import { shellWord, type Io } from '../io.js';
import { DEFAULT_SPEC, readSpecBytes, resolveSpec } from '../spec-file.js';
import { VERSION } from '../version.js';
import { mark } from '../../util/timings.js';

interface CommonOptions {
  out?: string;
  json?: boolean;
}

const GENERATOR = `microgen ${VERSION}`;

const STRAY = 'a temp file left by an interrupted microgen run';

interface Target {
  input: EngineInput;
  bytes: Buffer;
}

/** The output folder must be a folder of its own: not a file, not the filesystem root. */
function checkOut(outDir: string, outArg: string | undefined): void {
  const named = outArg === undefined ? outDir : `--out ${outArg}`;
  if (dirname(outDir) === outDir) throw new UsageError(`refusing to write a system into ${outDir}, the filesystem root; pass --out a folder of its own`);
  let st;
  try {
    st = statSync(outDir, { throwIfNoEntry: false });
  } catch {
    return; // a file on the way (ENOTDIR): making the folder says so, naming it
  }
  if (st && !st.isDirectory()) throw new UsageError(`${named} is a file, not a folder`);
}

/** Folders a check may only read (a read-only checkout in CI): it runs without the lock there. */
const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

function lockOut(io: Io, outDir: string, command: 'generate' | 'check'): Lock | undefined {
  // A check of a folder that does not exist has nothing to lock, recover or read.
  if (command === 'check' && !existsSync(outDir)) return undefined;
  try {
    return acquireLock(outDir, command);
  } catch (err) {
    if (err instanceof LockHeld) {
      const reason = `${err.message}; nothing was ${command === 'generate' ? 'written' : 'checked'}`;
      io.err(`${io.errPaint.red('error')}: ${reason}\n`);
      throw new ExitError(1, reason);
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (command === 'check' && READ_ONLY.has(code)) return undefined;
    throw new UsageError(`cannot create the output folder ${outDir}: ${code || (err as Error).message}`);
  }
}

/**
 * The first steps of `generate` and `check`: find the spec and the output folder, take the
 * folder's lock, recover a run that was killed while writing there (before the spec is read, so
 * whatever the spec now says, no half-written tree stays in place), then read the spec and run
 * `body`. The lock is released however `body` ends.
 */
async function withTarget(
  io: Io,
  specArg: string | undefined,
  opts: CommonOptions & { force?: boolean },
  command: 'generate' | 'check',
  body: (t: Target) => Promise<number>,
): Promise<number> {
  const spec = resolveSpec(io.cwd, specArg);
  const outDir = resolve(io.cwd, opts.out ?? dirname(spec.path));
  checkOut(outDir, opts.out);
  const lock = lockOut(io, outDir, command);
  try {
    const recovered = lock ? recover(outDir) : 'none';
    if (recovered === 'rolled-back') io.err('note: an interrupted generation was rolled back; the previous files are restored\n');
    if (recovered === 'completed') io.err('note: an interrupted generation had already committed; its journal was cleaned up\n');
    const input = { specPath: spec.path, specDisplay: spec.display, outDir, force: opts.force, generator: GENERATOR, version: VERSION };
    return await body({ input, bytes: readSpecBytes(spec) });
  } finally {
    lock?.release();
  }
}

async function plan(io: Io, t: Target): Promise<Plan> {
  let result: EngineResult;
  try {
    result = await planRun(t.input, t.bytes);
  } catch (err) {
    if (err instanceof ManifestError || err instanceof PlanError || err instanceof ApplyRefused) throw new UsageError(err.message);
    if (err instanceof UserFileSyntaxError) {
      const advice = 'nothing was written: fix the syntax error in your file first (stubs are added only to a file that parses)';
      io.err(`${err.message}\n${advice}\n`);
      throw new ExitError(1, `${err.message}; ${advice}`);
    }
    throw err;
  }
  if (!result.ok) {
    io.err(formatText(result.diagnostics, io.errPaint));
    io.err('nothing was generated: fix the errors above first\n');
    throw new ExitError(1, `${t.input.specDisplay} has lint errors: fix them first`, result.diagnostics);
  }
  if (result.diagnostics.length) io.err(formatText(result.diagnostics, io.errPaint));
  return result;
}

const VERB: Record<Action['kind'], string> = {
  create: 'create',
  update: 'update',
  unchanged: 'same',
  adopt: 'adopt',
  conflict: 'CONFLICT',
  stub: 'stub',
  keep: 'keep',
  rename: 'rename',
  delete: 'delete',
  orphan: 'orphan',
  'orphan-stubs': 'orphan',
};

function describe(a: Action): string {
  switch (a.kind) {
    case 'stub':
      return `${a.path} (added ${a.added.map((k) => k.slice(k.indexOf(':') + 1)).join(', ')})`;
    case 'rename':
      return `${a.path} (methods renamed${a.file ? '' : ' at their call sites'})`;
    case 'conflict':
      return a.reason === 'edited'
        ? `${a.path}: generated file edited by hand`
        : `${a.path}: exists but was not generated by microgen`;
    case 'update':
      return a.forced ? `${a.path} (your edit discarded: --force)` : a.path;
    case 'orphan':
      return a.reason === 'edited' ? `${a.path}: no longer generated, but edited by hand: kept, now yours` : `${a.path}: no longer needed by the spec; it is yours, so it stays`;
    case 'orphan-stubs': {
      const names = a.keys.map((k) => k.slice(k.indexOf(':') + 1)).join(', ');
      return a.path.endsWith('.json')
        ? `${a.path}: ${names} no longer needed by the spec (kept: remove when ready)`
        : `${a.path}: ${names} no longer in the spec (tsc flags the stale \`override\`; delete when ready)`;
    }
    default:
      return a.path;
  }
}

function summary(actions: readonly Action[]): string {
  const count = (kinds: Action['kind'][]) => actions.filter((a) => kinds.includes(a.kind)).length;
  const parts = [
    [count(['create']), 'created'],
    [count(['update']), 'updated'],
    [count(['stub']), 'given stubs'],
    [count(['rename']), 'with renamed methods'],
    [count(['delete']), 'deleted'],
    [count(['unchanged', 'keep', 'adopt']), 'unchanged'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${n} ${w}`)
    .join(', ');
}

/** The `microgen generate` that writes what the user asked about, as they would type it again. */
function generateCommand(specArg: string | undefined, opts: CommonOptions): string {
  const words = ['microgen', 'generate'];
  if (specArg !== undefined && specArg !== DEFAULT_SPEC) words.push(shellWord(specArg));
  if (opts.out !== undefined) words.push('--out', shellWord(opts.out));
  return words.join(' ');
}

/** `--json`: the renames made (or, with --dry-run, to be made) and the hints. */
const renamesJson = (plan: Plan) => ({
  renamed: plan.renamed.map((r: Rename) => ({ service: r.service, kind: r.kind, from: r.from.name, to: r.to.name })),
  hints: plan.renameHints.map(hintText),
});

/** `renamed greeter.greet → sendGreeting` per rename made, and a hint per rename that may have gone unseen. */
function renameLines(io: Io, plan: Plan): string {
  const renamed = plan.renamed.map((r) => `  ${io.paint.green('renamed')} ${r.service}.${r.from.name} → ${r.to.name}\n`);
  const hints = plan.renameHints.map((h) => `  ${io.paint.yellow('hint')}    ${hintText(h)}\n`);
  return renamed.join('') + hints.join('');
}

/**
 * What to do about the files `generate` refuses to overwrite, one line per kind: a generated file
 * edited by hand, and a file microgen never wrote (a README.md that was there before).
 */
function conflictAdvice(actions: readonly Action[], command: string): string {
  const conflicts = conflictsOf(actions);
  const edited = conflicts.filter((c) => c.reason === 'edited').map((c) => c.path);
  const unowned = conflicts.filter((c) => c.reason === 'unowned').map((c) => c.path);
  const lines: string[] = [];
  const these = (paths: string[], many: string) => (paths.length === 1 ? paths[0] : `the ${paths.length} ${many} listed above`);
  const them = (paths: string[], one: string, many: string) => (paths.length === 1 ? one : many);
  if (edited.length) {
    lines.push(`\`${command} --force\` replaces ${these(edited, 'files edited by hand')} and discards your hand edits in ${them(edited, 'it', 'them')}; move what you want to keep into src/handlers/ or src/main.ts first`);
  }
  if (unowned.length) {
    lines.push(`keep ${these(unowned, 'files microgen did not write')} by moving or renaming ${them(unowned, 'it', 'them')}, or let microgen take ${them(unowned, 'it', 'them')} over with \`${command} --force\` (replacing ${them(unowned, 'its', 'their')} content)`);
  }
  return lines.map((l) => `  ${l}\n`).join('');
}

/** The sentence that ends a generate refused by conflicts. */
const refusal = (conflicts: number): string => `nothing was written: microgen refuses to overwrite ${conflicts === 1 ? 'it' : `these ${conflicts} files`}`;

function printConflicts(io: Io, actions: readonly Action[], command: string): void {
  const conflicts = conflictsOf(actions);
  for (const c of conflicts) io.err(`${io.errPaint.red('conflict')} ${describe(c)}\n`);
  io.err(`${refusal(conflicts.length)}.\n${conflictAdvice(actions, command)}`);
}

export function runGenerate(io: Io, specArg: string | undefined, opts: CommonOptions & { dryRun?: boolean; force?: boolean }): Promise<number> {
  const empty = () => ({ actions: [], renamed: [], hints: [] });
  return failingAsJson(io, opts.json, empty, () => withTarget(io, specArg, opts, 'generate', (t) => generateTarget(io, t, opts, specArg)));
}

async function generateTarget(io: Io, t: Target, opts: CommonOptions & { dryRun?: boolean; force?: boolean }, specArg: string | undefined): Promise<number> {
  const fresh = upToDate(t.input, t.bytes);
  if (fresh !== undefined) {
    if (opts.json) io.out(`${JSON.stringify({ actions: [], upToDate: true }, null, 2)}\n`);
    else io.out(`${io.paint.green('✓')} up to date: the spec and all ${fresh} files are unchanged since the last generate\n`);
    return 0;
  }
  const result = await plan(io, t);
  const { actions } = result;
  const noisy = actions.filter((a) => changesDisk(a) || a.kind === 'conflict' || a.kind === 'orphan' || a.kind === 'orphan-stubs');
  const planJson = (extra: object = {}) => ({ actions: noisy.map((a) => ({ kind: a.kind, path: a.path })), conflicts: conflictsOf(actions).length, ...renamesJson(result), ...extra });
  if (opts.dryRun) {
    if (opts.json) io.out(`${JSON.stringify(planJson(), null, 2)}\n`);
    else {
      const listing = noisy.map((a) => `${VERB[a.kind].padEnd(8)} ${describe(a)}\n`);
      const diffs = noisy.filter((a) => changesDisk(a) || a.kind === 'conflict').map(actionDiff);
      io.out(`${listing.join('')}${renameLines(io, result)}${diffs.join('')}dry run: ${summary(actions) || 'nothing to do'}; nothing was written\n`);
    }
    return conflictsOf(actions).length ? 1 : 0;
  }
  if (conflictsOf(actions).length) {
    printConflicts(io, actions, generateCommand(specArg, opts));
    // The plan, as --dry-run --json shows it, and why nothing was written.
    if (opts.json) io.out(`${JSON.stringify(planJson({ error: refusal(conflictsOf(actions).length) }), null, 2)}\n`);
    return 1;
  }
  const strays = strayTemps(t.input.outDir, result.manifestPaths);
  for (const path of strays) unlinkSync(resolve(t.input.outDir, path));
  try {
    applyPlan(result);
  } catch (err) {
    if (err instanceof ApplyRefused) throw new UsageError(err.message);
    throw new Error(`generation failed and was rolled back; nothing changed: ${(err as Error).message}`);
  }
  if (opts.json) {
    io.out(`${JSON.stringify({ actions: actions.map((a) => ({ kind: a.kind, path: a.path })), ...renamesJson(result) }, null, 2)}\n`);
    return 0;
  }
  // One write, not one per file: on a pipe each write is a system call (~1,700 on a cold generate of 100 services).
  const lines = noisy.map((a) => `  ${(a.kind === 'delete' ? io.paint.red : a.kind.startsWith('orphan') ? io.paint.yellow : io.paint.green)(VERB[a.kind].padEnd(7))} ${describe(a)}\n`);
  lines.push(...strays.map((path) => `  ${io.paint.red('delete ')} ${path} (${STRAY})\n`));
  io.out(`${lines.join('')}${renameLines(io, result)}${io.paint.green('✓')} ${result.model.name}: ${summary(actions) || 'nothing to do'}\n`);
  mark('report');
  return 0;
}

export function runCheck(io: Io, specArg: string | undefined, opts: CommonOptions): Promise<number> {
  const empty = () => ({ inSync: false, stale: [] });
  return failingAsJson(io, opts.json, empty, () => withTarget(io, specArg, opts, 'check', (t) => checkTarget(io, t, opts, specArg)));
}

async function checkTarget(io: Io, t: Target, opts: CommonOptions, specArg: string | undefined): Promise<number> {
  if (opts.out === undefined && !existsSync(join(t.input.outDir, MANIFEST_PATH))) {
    // Without this, a spec kept apart from its system got a diff creating every file (thousands of lines).
    const folder = relative(io.cwd, t.input.outDir) || '.';
    throw new UsageError(`no generated system next to ${t.input.specDisplay} (no ${MANIFEST_PATH} in ${folder}): pass --out <dir> where it lives, or run \`${generateCommand(specArg, opts)}\` to create it there`);
  }
  const fresh = upToDate(t.input, t.bytes);
  if (fresh !== undefined) {
    if (opts.json) io.out(`${JSON.stringify({ inSync: true, stale: [] }, null, 2)}\n`);
    else io.out(`${io.paint.green('✓')} generated code is in sync with the spec (${fresh} files)\n`);
    return 0;
  }
  const result = await plan(io, t);
  const stale = result.actions.filter((a) => changesDisk(a) || a.kind === 'conflict');
  const strays = strayTemps(t.input.outDir, result.manifestPaths);
  if (opts.json) {
    const listed = [...stale.map((a) => ({ path: a.path, kind: a.kind })), ...strays.map((path) => ({ path, kind: 'stray' }))];
    io.out(`${JSON.stringify({ inSync: listed.length === 0, stale: listed }, null, 2)}\n`);
    return listed.length ? 1 : 0;
  }
  if (stale.length === 0 && strays.length === 0) {
    io.out(`${io.paint.green('✓')} generated code is in sync with the spec (${result.tree.size} files)\n`);
    return 0;
  }
  for (const path of strays) io.out(`${io.paint.red('stray')} ${path}: ${STRAY}; delete it (\`microgen generate\` does)\n`);
  if (stale.length === 0) return 1;
  const listing = stale.map((a) => `${io.paint.red('stale')} ${a.kind === 'conflict' ? describe(a) : `${a.path} (would ${VERB[a.kind]})`}\n`);
  io.out(`${listing.join('')}${stale.map(actionDiff).join('')}`);
  const command = generateCommand(specArg, opts);
  const files = `${stale.length} file${stale.length === 1 ? '' : 's'} out of sync with the spec`;
  const conflicts = conflictsOf(result.actions).length;
  if (conflicts === 0) io.out(`\n${files}: run \`${command}\` and commit the result\n`);
  else io.out(`\n${files}; \`${command}\` refuses to overwrite ${conflicts === stale.length ? (conflicts === 1 ? 'it' : 'them') : conflicts}:\n${conflictAdvice(result.actions, command)}`);
  return 1;
}

export function registerGenerate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('generate')
    .description('lint the spec, then write the whole system (all or nothing)')
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-o, --out <dir>', "output folder (default: the spec's folder)")
    .option('--dry-run', 'print the plan and a unified diff; write nothing')
    .option('--force', 'overwrite generated files that were edited by hand')
    .option('--json', 'print the actions as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ microgen generate
  $ microgen generate examples/shop/microgen.yaml --out /tmp/shop
  $ microgen generate --dry-run

Exit codes: 0 done, 1 lint errors, conflicts, a user file that does not parse or another run on
the folder (nothing written), 2 usage or an unusable output folder.`,
    )
    .action(async (spec: string, opts: CommonOptions & { dryRun?: boolean; force?: boolean }) => setExit(await runGenerate(io, spec, opts)));
}

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('CI drift check: exit 1 when `generate` would change anything')
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-o, --out <dir>', "output folder (default: the spec's folder)")
    .option('--json', 'print { inSync, stale[] } as JSON (with error when it stops early)')
    .addHelpText(
      'after',
      `
Examples:
  $ microgen check
  $ microgen check examples/shop/microgen.yaml --out /tmp/shop --json

Exit codes: 0 in sync, 1 stale (each path and a diff printed) or another run on the folder,
2 usage.`,
    )
    .action(async (spec: string, opts: CommonOptions) => setExit(await runCheck(io, spec, opts)));
}
