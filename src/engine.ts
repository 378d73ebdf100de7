/**
 * One engine, three endings (`generate`, `generate --dry-run`, `check`). First `recover`
 * finishes or undoes a run that was killed while writing; then `planRun` lints the spec, builds
 * the plan and reconciles it with the disk and the manifest, reading only; `applyPlan` writes,
 * and only when nothing conflicts.
 *
 * A second run with the same spec changes nothing, but proving it the long way (lint, render
 * and hash every file) takes longer than a user should wait. So, like git's index, a successful
 * run records in `.microgen/cache.json` (local, ignored by git) a fingerprint of its inputs (the
 * spec's bytes and path, and microgen itself) and each file's size and mtime; `upToDate` answers
 * from it when nothing moved. Anything unexpected there means the full run, which is always right.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockedOnTheWay, ensureDir, PathProbe, readText, TEMP_NAME, writeInPlace } from './apply/fsx.js';
import { applyOps, JOURNAL_DIR, recoverJournal, type CrashSeam, type FileOp } from './apply/journal.js';
import { MANIFEST_DIR, MANIFEST_PATH, readManifest, serializeManifest, type Manifest } from './apply/manifest.js';
import { portMoves, portsOf } from './apply/ports.js';
import { changesDisk, nextManifest, reconcile, type Action } from './apply/reconcile.js';
import { planRenames } from './apply/renames.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { hasErrors, lintBytes } from './lint.js';
import type { SystemModel } from './model/types.js';
import { readSpecFile } from './spec/read.js';
import { planSystem } from './plan/index.js';
import { servicePath } from './plan/paths.js';
import { recordMembers, userMembers, type Rename, type RenameHint } from './plan/renames.js';
import { loadRuntimePackage } from './plan/runtime-package.js';
import { diagnosticAt } from './spec/locate.js';
import { mark } from './util/timings.js';
import type { VirtualTree } from './plan/tree.js';
import { ownPath } from './util/own-files.js';

export interface EngineInput {
  /** Absolute path of the spec. */
  readonly specPath: string;
  /** The spec path as shown to the user. */
  readonly specDisplay: string;
  /** Absolute output folder. */
  readonly outDir: string;
  readonly force?: boolean;
  readonly generator: string;
  readonly version: string;
}

export type EngineResult =
  | { readonly ok: false; readonly diagnostics: Diagnostic[] }
  | {
      readonly ok: true;
      readonly outDir: string;
      readonly diagnostics: Diagnostic[];
      readonly model: SystemModel;
      readonly tree: VirtualTree;
      readonly actions: Action[];
      /** Members of the user's handler classes renamed to follow the spec. */
      readonly renamed: readonly Rename[];
      /** Members gone and added that may be renames microgen could not tell. */
      readonly renameHints: readonly RenameHint[];
      readonly manifestText: string;
      /** The paths the new manifest lists. */
      readonly manifestPaths: readonly string[];
      readonly manifestChanged: boolean;
      /** Of the inputs, for the no-op cache. */
      readonly fingerprint: string;
    };

export type Plan = Extract<EngineResult, { ok: true }>;

const posix = (p: string): string => p.split(sep).join('/');

/**
 * How generated files name their spec: relative when the spec sits inside the output folder,
 * else just its file name, so output does not depend on where it was generated from.
 */
export function specPathFromOut(outDir: string, specPath: string): string {
  const rel = posix(relative(outDir, specPath));
  return rel && !rel.startsWith('../') && !isAbsolute(rel) ? rel : basename(specPath);
}

/**
 * The first step of every command that writes or compares with the disk: a journal left by a
 * run that was killed while writing restores the old tree (or, when the new manifest was
 * already written, completes the new one), whatever the spec now says. Returns what it did.
 */
export function recover(outDir: string): 'none' | 'rolled-back' | 'completed' {
  return recoverJournal(outDir);
}

/** Lints the spec and plans the run against the disk and the manifest, reading only. */
export async function planRun(input: EngineInput, bytes: Uint8Array = readSpecFile(input.specPath)): Promise<EngineResult> {
  mark('read spec');
  const lint = lintBytes(input.specDisplay, bytes);
  mark('lint');
  if (hasErrors(lint) || !lint.model) return { ok: false, diagnostics: lint.diagnostics };
  const tree = planSystem({ model: lint.model, specPath: specPathFromOut(input.outDir, input.specPath), version: input.version, runtime: loadRuntimePackage() });
  mark('plan');
  const previous = readManifest(input.outDir, input.generator);
  // A fresh output folder has nothing to read: skip ~2,000 failing reads on a cold generate.
  const fresh = isFresh(input.outDir);
  const members = userMembers(lint.model);
  const renames = await planRenames(previous, members, (service) => userSourceFiles(input.outDir, service, previous.files));
  const { manifest, edited } = renames;
  mark('renames');
  const actions = await reconcile(tree, manifest, (p) => (fresh ? undefined : readPlanned(input.outDir, p)), { force: input.force === true, edited });
  mark('reconcile');
  const next = { ...nextManifest(actions, input.generator, manifest), ports: portsOf(lint.model), members: recordMembers(members) };
  const manifestText = serializeManifest(next);
  const manifestChanged = readText(join(input.outDir, MANIFEST_PATH)) !== manifestText;
  mark('manifest');
  const fingerprint = inputsFingerprint(input, bytes);
  // The manifest may warn (a port moved since the last run), never decide.
  const moves = portMoves(previous.ports, lint.model).map((f) => diagnosticAt(lint.source!, f.at, f.severity, f.rule, f.message, f.anchor));
  const diagnostics = moves.length ? sortDiagnostics([...lint.diagnostics, ...moves]) : lint.diagnostics;
  return { ok: true, outDir: input.outDir, diagnostics, model: lint.model, tree, actions, renamed: renames.renamed, renameHints: renames.hints, manifestText, manifestPaths: Object.keys(next.files), manifestChanged, fingerprint };
}

/** True when `outDir` is missing or holds nothing but the run's own lock. */
function isFresh(outDir: string): boolean {
  try {
    const top = readdirSync(outDir);
    return top.length === 0 || (top.length === 1 && top[0] === MANIFEST_DIR && readdirSync(join(outDir, MANIFEST_DIR)).every((n) => n === 'lock'));
  } catch {
    return true; // not there (yet)
  }
}

/** A planned path's content on disk; a folder where a file is planned is refused by name. */
function readPlanned(outDir: string, path: string): string | undefined {
  try {
    return readText(join(outDir, path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new ApplyRefused(`${path} is a folder, but microgen writes a file there; move the folder away`);
    throw err;
  }
}

/**
 * Temp files (`*.microgen-tmp-<pid>`) next to the planned paths or in `.microgen/` that no
 * journal knows (a journal's own are gone once `recover` ran): left by a microgen that did not
 * record them, or copied in from elsewhere. Looked for by full runs only (one `readdir` per
 * folder, tens of milliseconds on 100 services): the no-op shortcut trusts the last run, which
 * left none.
 */
export function strayTemps(outDir: string, paths: readonly string[]): string[] {
  const dirs = new Set([MANIFEST_DIR, ...paths.map((p) => posix(dirname(p)))]);
  const found: string[] = [];
  for (const dir of [...dirs].sort()) {
    let names: string[];
    try {
      names = readdirSync(join(outDir, dir));
    } catch {
      continue;
    }
    for (const n of names) if (TEMP_NAME.test(n)) found.push(dir === '.' ? n : `${dir}/${n}`);
  }
  return found;
}

/**
 * A service's TypeScript files that are the user's (src/ except src/generated/ and what the
 * manifest says microgen generated): where a renamed member's call sites can be. Path → text.
 */
function userSourceFiles(outDir: string, service: string, known: Manifest['files']): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(outDir, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory() && e.name !== 'node_modules' && path !== servicePath(service, 'src/generated')) walk(path);
      else if (e.isFile() && /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') && known[path]?.owner !== 'generated') {
        const text = readText(join(outDir, path));
        if (text !== undefined) files.set(path, text);
      }
    }
  };
  walk(servicePath(service, 'src'));
  return files;
}

export const conflictsOf = (actions: readonly Action[]) => actions.filter((a): a is Extract<Action, { kind: 'conflict' }> => a.kind === 'conflict');

export class ApplyRefused extends Error {}

/**
 * Writes the plan, then records the no-op cache. Refuses (writing nothing) on conflicts or a
 * path through a symbolic link.
 */
export function applyPlan(plan: Plan, seam?: CrashSeam): FileOp[] {
  const { outDir, actions } = plan;
  if (conflictsOf(actions).length) throw new ApplyRefused('conflicts');
  const ops: FileOp[] = [];
  for (const a of actions) {
    // What each path held when it was planned travels with the op: the journal need not read it again.
    if (a.kind === 'create') ops.push({ kind: 'write', path: a.path, content: a.content, before: null });
    else if (a.kind === 'update' || a.kind === 'stub' || a.kind === 'rename') ops.push({ kind: 'write', path: a.path, content: a.content, before: a.before });
    else if (a.kind === 'delete') ops.push({ kind: 'delete', path: a.path, before: a.before });
  }
  const probe = new PathProbe(outDir);
  for (const op of ops) {
    const blocked = blockedOnTheWay(outDir, op.path, probe);
    if (blocked?.kind === 'link') throw new ApplyRefused(`${op.path} leads through the symbolic link ${blocked.at}; refusing to write outside ${outDir}`);
    if (blocked) throw new ApplyRefused(`${op.path} needs a folder where the file ${blocked.at} is; move that file away`);
  }
  // A run that changes nothing writes nothing but the cache: mtimes stay as they were.
  if (ops.length > 0 || plan.manifestChanged) {
    mark('check paths');
    try {
      ensureDir(outDir);
    } catch (err) {
      // A file, a broken link or a read-only place where the folder must be: a bad --out, not a failed run.
      throw new ApplyRefused(`cannot create the output folder ${outDir}: ${(err as Error).message}`);
    }
    applyOps(outDir, ops, plan.manifestText, seam);
    mark('write');
  }
  recordUpToDate(outDir, plan.fingerprint, plan.manifestPaths);
  mark('record the no-op cache');
  return ops;
}

export const CACHE_PATH = `${MANIFEST_DIR}/cache.json`;

interface Cache {
  version: 1;
  fingerprint: string;
  /** path → [size, mtimeMs] */
  files: Record<string, [number, number]>;
}

let programHash: string | undefined;

/**
 * Identifies the running microgen: a hash of its code (the folder this module is in: dist/, the
 * bundle's folder, or src/ when running from sources), templates, schema and the built runtime
 * library it copies into systems. A changed microgen regenerates in full.
 */
function program(): string {
  if (programHash) return programHash;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (!e.name.endsWith('.map')) hash.update(path).update('\0').update(readFileSync(path));
    }
  };
  // The running code (src/, dist/ or the bundle) and what it reads of microgen's own files.
  for (const dir of [dirname(fileURLToPath(import.meta.url)), ownPath('templates'), ownPath('schema'), ownPath('runtime', 'dist')]) walk(dir);
  hash.update(readFileSync(ownPath('runtime', 'package.json')));
  return (programHash = hash.digest('hex'));
}

function inputsFingerprint(input: EngineInput, bytes: Uint8Array): string {
  return createHash('sha256').update(program()).update('\0').update(specPathFromOut(input.outDir, input.specPath)).update('\0').update(bytes).digest('hex');
}

function stampOf(path: string): [number, number] | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st && [st.size, st.mtimeMs];
}

/**
 * How many files are known to be up to date with the spec `bytes` (from the last run's cache),
 * or undefined when only a full run can tell. `--force` always runs in full.
 */
export function upToDate(input: EngineInput, bytes: Uint8Array): number | undefined {
  // An interrupted run leaves a journal: the full run recovers it.
  if (input.force || existsSync(join(input.outDir, JOURNAL_DIR))) return undefined;
  let cache: Cache;
  try {
    cache = JSON.parse(readFileSync(join(input.outDir, CACHE_PATH), 'utf8')) as Cache;
  } catch {
    return undefined;
  }
  if (cache.version !== 1 || cache.fingerprint !== inputsFingerprint(input, bytes)) return undefined;
  const paths = Object.keys(cache.files);
  for (const p of paths) {
    const st = stampOf(join(input.outDir, p));
    if (!st || st[0] !== cache.files[p][0] || st[1] !== cache.files[p][1]) return undefined;
  }
  return paths.length - 1; // the manifest is not one of the generated files
}

/** Records the files the manifest (just committed) lists, and the manifest itself. */
function recordUpToDate(outDir: string, fingerprint: string, manifestPaths: readonly string[]): void {
  const files: Cache['files'] = {};
  for (const p of [...manifestPaths, MANIFEST_PATH].sort()) {
    const st = stampOf(join(outDir, p));
    if (!st) return; // a planned file is missing (a deleted user file): no shortcut next time
    files[p] = st;
  }
  const text = `${JSON.stringify({ version: 1, fingerprint, files } satisfies Cache)}\n`;
  if (readText(join(outDir, CACHE_PATH)) === text) return;
  ensureDir(join(outDir, MANIFEST_DIR));
  writeInPlace(join(outDir, CACHE_PATH), text);
}

const require = createRequire(import.meta.url);

/** A unified diff of one action, for `--dry-run` and `check` (the diff library loads only then). */
export function actionDiff(a: Action): string {
  const before = 'before' in a ? a.before : '';
  const after = a.kind === 'delete' ? '' : 'content' in a ? a.content : undefined;
  if (after === undefined) return '';
  const oldName = a.kind === 'create' ? '/dev/null' : `a/${a.path}`;
  const newName = a.kind === 'delete' ? '/dev/null' : `b/${a.path}`;
  const { createTwoFilesPatch } = require('diff') as typeof import('diff');
  return createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context: 3 }).split('\n').slice(1).join('\n');
}

export { changesDisk };
