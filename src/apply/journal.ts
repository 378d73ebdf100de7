/**
 * All-or-nothing application of a plan. Before the first write, the journal
 * (`.microgen/journal/`) records every path about to change, a backup of each existing one,
 * the folders about to be created, every temp file the run will make (`<path>.microgen-tmp-<pid>`)
 * and the hash of the manifest to come. Files are then written (new ones directly, existing ones
 * through their temp and a rename, keeping their mode; see `rewrite`), deleted, and the manifest
 * written last: that write is the commit point. The journal is removed after it.
 *
 * A failure inside the run rolls back at once. A process killed mid-run leaves the journal
 * behind; the next microgen run finds it, removes the temp files it lists and either finishes
 * the commit (the new manifest is already in place) or restores the old tree. Recovery writes
 * through the same temp files, so a recovery that is itself killed leaves nothing unknown.
 */
import { chmodSync, existsSync, lstatSync, readdirSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentHash } from './hash.js';
import { MANIFEST_DIR, MANIFEST_PATH } from './manifest.js';
import { ensureDir, makeDir, missingDirs, PathProbe, readText, rewrite, tempOf, writeAtomic, writeInPlace } from './fsx.js';

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
  /** The temp file a rewrite of the path goes through (paths that existed before). */
  temp?: string;
  /** Permission bits of a file about to be deleted, for its restore. */
  mode?: number;
}

interface JournalFile {
  /** 1: written by a microgen that made temp files it did not record. */
  version: 1 | 2;
  entries: JournalEntry[];
  createdDirs: string[];
  manifestBackup: number | null;
  /** The manifest's temp file (relative to the output folder). */
  manifestTemp?: string;
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
    const entry: JournalEntry = { path: op.path, backup: null };
    if (before !== undefined) {
      entry.backup = n++;
      entry.temp = tempOf(op.path);
      if (op.kind === 'delete') entry.mode = (lstatSync(join(out, op.path), { throwIfNoEntry: false })?.mode ?? 0o644) & 0o7777;
      writeFileSync(backupPath(out, entry.backup), before);
    } else if (op.kind === 'write') {
      const dir = dirname(op.path);
      if (!knownDirs.has(dir)) {
        knownDirs.add(dir);
        for (const d of missingDirs(out, op.path, probe)) createdDirs.add(d);
      }
    }
    entries.push(entry);
  }
  const manifestBefore = readText(join(out, MANIFEST_PATH));
  let manifestBackup: number | null = null;
  if (manifestBefore !== undefined) {
    manifestBackup = n++;
    writeFileSync(backupPath(out, manifestBackup), manifestBefore);
  }
  const journal: JournalFile = {
    version: 2,
    entries,
    createdDirs: [...createdDirs],
    manifestBackup,
    manifestTemp: tempOf(MANIFEST_PATH),
    newManifestSha256: contentHash(manifestText),
  };
  // The journal itself is written atomically and durably: it is what recovery trusts.
  writeAtomic(journalPath(out), JSON.stringify(journal), true);
  return journal;
}

/** Removes the temp files a killed run may have left (they are all in the journal). */
function removeTemps(out: string, journal: JournalFile): void {
  for (const temp of [...journal.entries.map((e) => e.temp), journal.manifestTemp]) {
    if (temp !== undefined && lstatSync(join(out, temp), { throwIfNoEntry: false })) unlinkSync(join(out, temp));
  }
}

/** Puts `saved` back at `path`, unless it is already there (an untouched file keeps its mtime). */
function putBack(out: string, path: string, saved: string, temp: string | undefined, mode?: number): void {
  const target = join(out, path);
  if (readText(target) === saved) return;
  const existed = existsSync(target);
  ensureDir(join(target, '..'));
  rewrite(target, saved, join(out, temp ?? tempOf(path)), false);
  if (!existed && mode !== undefined) chmodSync(target, mode);
}

function restore(out: string, journal: JournalFile): void {
  removeTemps(out, journal);
  for (const e of journal.entries) {
    const target = join(out, e.path);
    if (e.backup === null) {
      if (existsSync(target)) unlinkSync(target);
    } else {
      const saved = readText(backupPath(out, e.backup));
      if (saved !== undefined) putBack(out, e.path, saved, e.temp, e.mode);
    }
  }
  const manifest = join(out, MANIFEST_PATH);
  if (journal.manifestBackup === null) {
    if (existsSync(manifest)) unlinkSync(manifest);
  } else {
    const saved = readText(backupPath(out, journal.manifestBackup));
    if (saved !== undefined) putBack(out, MANIFEST_PATH, saved, journal.manifestTemp);
  }
  removeTemps(out, journal);
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
    removeTemps(out, journal);
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
      const { backup, temp } = journal.entries[i];
      if (backup === null || temp === undefined) writeInPlace(target, op.content);
      else rewrite(target, op.content, join(out, temp), false);
    }
    tick();
    ensureDir(join(out, MANIFEST_DIR));
    rewrite(join(out, MANIFEST_PATH), manifestText, join(out, journal.manifestTemp ?? tempOf(MANIFEST_PATH)), true); // the commit point
  } catch (err) {
    if (!(err instanceof SimulatedCrash && seam?.mode === 'hard')) {
      restore(out, journal);
      finish(out);
    }
    throw err;
  }
  finish(out);
}
