/**
 * All-or-nothing application of a plan. Before the first write, the journal
 * (`.microgen/journal/`) records every path about to change, a backup of each existing one,
 * the folders about to be created and the hash of the manifest to come. Files are then
 * written (temp + rename for existing ones), deleted, and the manifest written last: that
 * write is the commit point. The journal is removed after it.
 *
 * A failure inside the run rolls back at once. A process killed mid-run leaves the journal
 * behind; the next microgen run finds it and either finishes the commit (the new manifest
 * is already in place) or restores the old tree.
 */
import { existsSync, readdirSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentHash } from './hash.js';
import { MANIFEST_DIR, MANIFEST_PATH } from './manifest.js';
import { ensureDir, makeDir, missingDirs, PathProbe, readText, writeAtomic, writeNew } from './fsx.js';

export const JOURNAL_DIR = `${MANIFEST_DIR}/journal`;

/**
 * One change to one path. `before` is what the path held when the plan was made (null: it did
 * not exist); when absent, the journal reads the disk itself.
 */
export type FileOp = { kind: 'write'; path: string; content: string; before?: string | null } | { kind: 'delete'; path: string; before?: string | null };

interface JournalEntry {
  path: string;
  /** Index of the backup file, or null when the path did not exist before. */
  backup: number | null;
}

interface JournalFile {
  version: 1;
  entries: JournalEntry[];
  createdDirs: string[];
  manifestBackup: number | null;
  newManifestSha256: string;
}

/** A test seam: fail after `failAfter` file operations, with (`soft`) or without (`hard`, like a kill) rollback. */
export interface CrashSeam {
  failAfter: number;
  mode: 'soft' | 'hard';
}

export class SimulatedCrash extends Error {}

const journalPath = (out: string) => join(out, JOURNAL_DIR, 'journal.json');
const backupPath = (out: string, i: number) => join(out, JOURNAL_DIR, `backup-${i}`);

function begin(out: string, ops: readonly FileOp[], manifestText: string): JournalFile {
  finish(out);
  ensureDir(join(out, JOURNAL_DIR));
  let n = 0;
  const entries: JournalEntry[] = [];
  const createdDirs = new Set<string>();
  const knownDirs = new Set<string>();
  const probe = new PathProbe(out);
  for (const op of ops) {
    const before = op.before === undefined ? readText(join(out, op.path)) : (op.before ?? undefined);
    let backup: number | null = null;
    if (before !== undefined) {
      backup = n++;
      writeFileSync(backupPath(out, backup), before);
    } else if (op.kind === 'write') {
      const dir = dirname(op.path);
      if (!knownDirs.has(dir)) {
        knownDirs.add(dir);
        for (const d of missingDirs(out, op.path, probe)) createdDirs.add(d);
      }
    }
    entries.push({ path: op.path, backup });
  }
  const manifestBefore = readText(join(out, MANIFEST_PATH));
  let manifestBackup: number | null = null;
  if (manifestBefore !== undefined) {
    manifestBackup = n++;
    writeFileSync(backupPath(out, manifestBackup), manifestBefore);
  }
  const journal: JournalFile = { version: 1, entries, createdDirs: [...createdDirs], manifestBackup, newManifestSha256: contentHash(manifestText) };
  // The journal itself is written atomically and durably: it is what recovery trusts.
  writeAtomic(journalPath(out), JSON.stringify(journal), true);
  return journal;
}

function restore(out: string, journal: JournalFile): void {
  for (const e of journal.entries) {
    const target = join(out, e.path);
    if (e.backup === null) {
      if (existsSync(target)) unlinkSync(target);
    } else {
      const saved = readText(backupPath(out, e.backup));
      if (saved !== undefined) {
        ensureDir(join(target, '..'));
        writeAtomic(target, saved, false);
      }
    }
  }
  const manifest = join(out, MANIFEST_PATH);
  if (journal.manifestBackup === null) {
    if (existsSync(manifest)) unlinkSync(manifest);
  } else {
    const saved = readText(backupPath(out, journal.manifestBackup));
    if (saved !== undefined) writeAtomic(manifest, saved, false);
  }
  // Innermost first; a folder the user has since put files in stays.
  for (const dir of [...journal.createdDirs].sort((a, b) => b.length - a.length)) {
    try {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      /* not empty or already gone: leave it */
    }
  }
}

function finish(out: string): void {
  const dir = join(out, JOURNAL_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no journal
  }
  // The journal holds only files of ours: removed one by one, without loading Node's
  // recursive removal (rimraf) on every run; anything else in there falls back to it.
  try {
    for (const name of names) unlinkSync(join(dir, name));
    rmdirSync(dir);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Called at the start of every run. Returns what it did, for the user to be told.
 */
export function recoverJournal(out: string): 'none' | 'rolled-back' | 'completed' {
  const text = readText(journalPath(out));
  if (text === undefined) {
    if (existsSync(join(out, JOURNAL_DIR))) finish(out); // crashed before the journal was complete: nothing was written yet
    return 'none';
  }
  const journal = JSON.parse(text) as JournalFile;
  const manifest = readText(join(out, MANIFEST_PATH));
  if (manifest !== undefined && contentHash(manifest) === journal.newManifestSha256) {
    finish(out);
    return 'completed';
  }
  restore(out, journal);
  finish(out);
  return 'rolled-back';
}

/** Applies `ops` and then writes the manifest, all or nothing. */
export function applyOps(out: string, ops: readonly FileOp[], manifestText: string, seam?: CrashSeam): void {
  const journal = begin(out, ops, manifestText);
  let done = 0;
  const tick = () => {
    if (seam && done >= seam.failAfter) throw new SimulatedCrash(`simulated crash after ${done} file operations`);
    done++;
  };
  try {
    // The journal lists the folders to create, outermost first; every other folder on the way
    // exists. Made here, once each, rather than looked for again before every write.
    for (const dir of journal.createdDirs) makeDir(dir);
    for (const [i, op] of ops.entries()) {
      tick();
      const target = join(out, op.path);
      if (op.kind === 'delete') {
        if (existsSync(target)) unlinkSync(target);
        continue;
      }
      if (journal.entries[i].backup === null) writeNew(target, op.content);
      else writeAtomic(target, op.content, false);
    }
    tick();
    ensureDir(join(out, MANIFEST_DIR));
    writeAtomic(join(out, MANIFEST_PATH), manifestText, true); // the commit point
  } catch (err) {
    if (!(err instanceof SimulatedCrash && seam?.mode === 'hard')) {
      restore(out, journal);
      finish(out);
    }
    throw err;
  }
  finish(out);
}
