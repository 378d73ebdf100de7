/**
 * One engine, three endings (`generate`, `generate --dry-run`, `check`): lint the spec,
 * recover a crashed run, build the plan, reconcile it with the disk and the manifest.
 * Only `applyPlan` writes, and only when nothing conflicts.
 */
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { ensureDir, linkOnTheWay, PathProbe, readText, type FileStamp } from './apply/fsx.js';
import { applyOps, recoverJournal, type CrashSeam, type FileOp } from './apply/journal.js';
import { MANIFEST_PATH, readManifest, serializeManifest } from './apply/manifest.js';
import { changesDisk, nextManifest, reconcile, type Action } from './apply/reconcile.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { hasErrors, lintBytes } from './lint.js';
import type { SystemModel } from './model/types.js';
import { planSystem } from './plan/index.js';
import { loadRuntimePackage } from './plan/runtime-package.js';
import { mark } from './util/timings.js';
import type { VirtualTree } from './plan/tree.js';
import { existsSync, readFileSync } from 'node:fs';

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
      readonly diagnostics: Diagnostic[];
      readonly model: SystemModel;
      readonly tree: VirtualTree;
      readonly actions: Action[];
      readonly manifestText: string;
      /** The paths the new manifest lists. */
      readonly manifestPaths: readonly string[];
      readonly manifestChanged: boolean;
      readonly recovered: 'none' | 'rolled-back' | 'completed';
    };

const posix = (p: string): string => p.split(sep).join('/');

/**
 * How generated files name their spec: relative when the spec sits inside the output folder,
 * else just its file name, so output does not depend on where it was generated from.
 */
export function specPathFromOut(outDir: string, specPath: string): string {
  const rel = posix(relative(outDir, specPath));
  return rel && !rel.startsWith('../') && !isAbsolute(rel) ? rel : basename(specPath);
}

export async function planRun(input: EngineInput, bytes: Uint8Array = readFileSync(input.specPath)): Promise<EngineResult> {
  mark('read spec');
  const lint = lintBytes(input.specDisplay, bytes);
  mark('lint');
  if (hasErrors(lint) || !lint.model) return { ok: false, diagnostics: lint.diagnostics };
  const recovered = recoverJournal(input.outDir);
  const tree = planSystem({ model: lint.model, specPath: specPathFromOut(input.outDir, input.specPath), version: input.version, runtime: loadRuntimePackage() });
  mark('plan');
  const manifest = readManifest(input.outDir, input.generator);
  // A fresh output folder has nothing to read: skip ~2,000 failing reads on a cold generate.
  const fresh = !existsSync(input.outDir);
  const actions = await reconcile(tree, manifest, (p) => (fresh ? undefined : readText(join(input.outDir, p))), { force: input.force === true });
  mark('reconcile');
  const next = nextManifest(actions, input.generator, manifest);
  const manifestText = serializeManifest(next);
  const manifestChanged = readText(join(input.outDir, MANIFEST_PATH)) !== manifestText;
  mark('manifest');
  return { ok: true, diagnostics: lint.diagnostics, model: lint.model, tree, actions, manifestText, manifestPaths: Object.keys(next.files), manifestChanged, recovered };
}

export const conflictsOf = (actions: readonly Action[]) => actions.filter((a): a is Extract<Action, { kind: 'conflict' }> => a.kind === 'conflict');

export class ApplyRefused extends Error {}

/** Writes the plan. Refuses (writing nothing) on conflicts or a path through a symbolic link. */
export function applyPlan(outDir: string, actions: readonly Action[], manifestText: string, manifestChanged: boolean, seam?: CrashSeam, stamps?: Map<string, FileStamp>): FileOp[] {
  if (conflictsOf(actions).length) throw new ApplyRefused('conflicts');
  const ops: FileOp[] = [];
  for (const a of actions) {
    // What each path held when it was planned travels with the op: the journal need not read it again.
    if (a.kind === 'create') ops.push({ kind: 'write', path: a.path, content: a.content, before: null });
    else if (a.kind === 'update' || a.kind === 'stub') ops.push({ kind: 'write', path: a.path, content: a.content, before: a.before });
    else if (a.kind === 'delete') ops.push({ kind: 'delete', path: a.path, before: a.before });
  }
  const probe = new PathProbe(outDir);
  for (const op of ops) {
    const link = linkOnTheWay(outDir, op.path, probe);
    if (link) throw new ApplyRefused(`${op.path} leads through the symbolic link ${link}; refusing to write outside ${outDir}`);
  }
  // A run that changes nothing writes nothing, not even the manifest: mtimes stay as they were.
  if (ops.length === 0 && !manifestChanged) return ops;
  mark('check paths');
  try {
    ensureDir(outDir);
  } catch (err) {
    // A file, a broken link or a read-only place where the folder must be: a bad --out, not a failed run.
    throw new ApplyRefused(`cannot create the output folder ${outDir}: ${(err as Error).message}`);
  }
  applyOps(outDir, ops, manifestText, seam, stamps);
  mark('write');
  return ops;
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
