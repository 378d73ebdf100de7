/**
 * The plan against the disk and the manifest: what `generate` would do to each path.
 * For a generated path, with D the disk, M the manifest's hash and N the new render
 * (DESIGN-NOTES' table):
 *   D missing → create;  D = M → update (or unchanged when D = N);  D ≠ M, D = N → adopt;
 *   D ≠ M otherwise → conflict (edited by hand; `--force` overwrites).
 * Orphans (in the manifest, not in the plan): a generated one is deleted only when
 * unedited; user-owned files are never deleted, only reported.
 * Nothing here writes: the result feeds `--dry-run`, `check` and the applier alike.
 */
import { contentHash } from './hash.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import type { JsonEntryStub, MemberStub, PlannedFile, VirtualTree } from '../plan/tree.js';
import { ensureJsonEntries } from './json-entries.js';

export type Action =
  | { kind: 'create'; path: string; content: string; file: PlannedFile }
  | { kind: 'update'; path: string; before: string; content: string; file: PlannedFile; forced: boolean }
  | { kind: 'unchanged'; path: string; file: PlannedFile }
  | { kind: 'adopt'; path: string; file: PlannedFile }
  | { kind: 'conflict'; path: string; before: string; content: string; file: PlannedFile; reason: 'edited' | 'unowned' }
  | { kind: 'stub'; path: string; before: string; content: string; file: PlannedFile; added: readonly string[]; present: readonly string[] }
  | { kind: 'keep'; path: string; file: PlannedFile; present: readonly string[]; unplaced: readonly string[] }
  /** A user file whose members were renamed (src/apply/renames.ts); `file` when it is a planned scaffold. */
  | { kind: 'rename'; path: string; before: string; content: string; file?: PlannedFile; present: readonly string[] }
  | { kind: 'delete'; path: string; before: string; entry: ManifestEntry }
  | { kind: 'orphan'; path: string; entry: ManifestEntry; reason: 'edited' | 'user-owned' }
  | { kind: 'orphan-stubs'; path: string; keys: readonly string[] };

/** Reads a file under the output folder; undefined when it does not exist. */
export type DiskReader = (path: string) => string | undefined;

export interface ReconcileOptions {
  readonly force?: boolean;
  /** User files renames changed (path → text before and after): reconciled as if the disk held `after`. */
  readonly edited?: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
}

/** A scaffold whose text renames changed: what stubs it still needs, written over the text on disk. */
async function reconcileEdited(file: PlannedFile, edit: { before: string; after: string }, entry: ManifestEntry | undefined): Promise<Action[]> {
  return (await reconcileScaffold(file, edit.after, entry)).map((a): Action => {
    if (a.kind === 'keep') return { kind: 'rename', path: a.path, before: edit.before, content: edit.after, file, present: a.present };
    if (a.kind === 'stub') return { ...a, before: edit.before };
    return a;
  });
}

async function reconcileScaffold(file: PlannedFile, disk: string | undefined, entry: ManifestEntry | undefined): Promise<Action[]> {
  if (disk === undefined) return [{ kind: 'create', path: file.path, content: file.content, file }];
  const planned = file.stubs ?? [];
  const ensured = new Set(entry?.stubs ?? []);
  const plannedKeys = new Set(planned.map((s) => s.key));
  const actions: Action[] = [];
  const gone = [...ensured].filter((k) => !plannedKeys.has(k));
  if (gone.length) actions.push({ kind: 'orphan-stubs', path: file.path, keys: gone });
  // Hot path: every stub already ensured once means no parsing at all (ts-morph stays unloaded).
  const pending = planned.filter((s) => !ensured.has(s.key));
  const keptKeys = planned.filter((s) => ensured.has(s.key)).map((s) => s.key);
  if (pending.length === 0) {
    actions.push({ kind: 'keep', path: file.path, file, present: keptKeys, unplaced: [] });
    return actions;
  }
  const jsonPending = pending.filter((s): s is JsonEntryStub => s.kind === 'json');
  const memberPending = pending.filter((s): s is MemberStub => s.kind !== 'json');
  // JSON entries need no compiler; class members load ts-morph (only now, only for this file).
  const result = memberPending.length
    ? await (await import('./stubs.js')).ensureStubs(file.path, disk, memberPending)
    : ensureJsonEntries(disk, jsonPending);
  if (result.added.length === 0) {
    actions.push({ kind: 'keep', path: file.path, file, present: [...keptKeys, ...result.present], unplaced: result.unplaced });
  } else {
    actions.push({ kind: 'stub', path: file.path, before: disk, content: result.text, file, added: result.added, present: [...keptKeys, ...result.present] });
  }
  return actions;
}

function reconcileGenerated(file: PlannedFile, disk: string | undefined, entry: ManifestEntry | undefined, force: boolean): Action {
  if (disk === undefined) return { kind: 'create', path: file.path, content: file.content, file };
  const d = contentHash(disk);
  const n = contentHash(file.content);
  if (d === n) return entry?.sha256 === n && entry.owner === 'generated' ? { kind: 'unchanged', path: file.path, file } : { kind: 'adopt', path: file.path, file };
  if (entry && entry.sha256 === d) return { kind: 'update', path: file.path, before: disk, content: file.content, file, forced: false };
  if (force) return { kind: 'update', path: file.path, before: disk, content: file.content, file, forced: true };
  return { kind: 'conflict', path: file.path, before: disk, content: file.content, file, reason: entry ? 'edited' : 'unowned' };
}

export async function reconcile(tree: VirtualTree, manifest: Manifest, read: DiskReader, options: ReconcileOptions = {}): Promise<Action[]> {
  const actions: Action[] = [];
  const edited = options.edited ?? new Map<string, { before: string; after: string }>();
  for (const file of tree.list()) {
    const entry = manifest.files[file.path];
    const edit = edited.get(file.path);
    if (file.owner === 'scaffold' && edit) actions.push(...(await reconcileEdited(file, edit, entry)));
    else if (file.owner === 'scaffold') actions.push(...(await reconcileScaffold(file, read(file.path), entry)));
    else actions.push(reconcileGenerated(file, read(file.path), entry, options.force === true));
  }
  // Call sites in the user's own files (not planned: microgen does not track them).
  for (const [path, edit] of [...edited].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!tree.get(path)) actions.push({ kind: 'rename', path, before: edit.before, content: edit.after, present: [] });
  }
  for (const path of Object.keys(manifest.files).sort()) {
    if (tree.get(path)) continue;
    const entry = manifest.files[path];
    const disk = read(path);
    if (disk === undefined) continue; // already gone: the new manifest simply forgets it
    if (entry.owner === 'scaffold') actions.push({ kind: 'orphan', path, entry, reason: 'user-owned' });
    else if (contentHash(disk) === entry.sha256 || options.force) actions.push({ kind: 'delete', path, before: disk, entry });
    else actions.push({ kind: 'orphan', path, entry, reason: 'edited' });
  }
  return actions;
}

/** Actions that change files on disk (what `check` calls stale). */
export const WRITES = new Set<Action['kind']>(['create', 'update', 'stub', 'rename', 'delete']);
export const changesDisk = (a: Action): boolean => WRITES.has(a.kind);

/** The manifest after applying `actions`. */
export function nextManifest(actions: readonly Action[], generator: string, previous: Manifest): Manifest {
  const files: Record<string, ManifestEntry> = {};
  for (const a of actions) {
    switch (a.kind) {
      case 'create':
      case 'update':
      case 'unchanged':
      case 'adopt': {
        const stubs = a.file.owner === 'scaffold' ? (a.file.stubs ?? []).map((s) => s.key) : undefined;
        files[a.path] = { owner: a.file.owner, key: a.file.key, sha256: contentHash(a.kind === 'create' || a.kind === 'update' ? a.content : a.file.content), ...(stubs ? { stubs } : {}) };
        break;
      }
      case 'stub':
        files[a.path] = { owner: 'scaffold', key: a.file.key, sha256: contentHash(a.content), stubs: [...a.added, ...a.present] };
        break;
      case 'rename':
        if (a.file) files[a.path] = { owner: 'scaffold', key: a.file.key, sha256: contentHash(a.content), stubs: [...a.present] };
        break;
      case 'keep': {
        const prev = previous.files[a.path];
        files[a.path] = { owner: 'scaffold', key: a.file.key, sha256: prev?.sha256 ?? contentHash(a.file.content), stubs: [...a.present] };
        break;
      }
      case 'conflict':
        // Not applied: the manifest keeps what it knew, so the conflict stays a conflict.
        if (previous.files[a.path]) files[a.path] = previous.files[a.path];
        break;
      case 'orphan':
        // An edited generated orphan is now the user's file; a scaffold stays the user's. Neither is tracked further.
        break;
      case 'delete':
      case 'orphan-stubs':
        break;
    }
  }
  return { version: 1, generator, files };
}
