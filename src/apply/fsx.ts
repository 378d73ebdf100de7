/** Small file-system helpers with the durability the applier needs. */
import { closeSync, existsSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function writeFd(path: string, content: string, durable: boolean, mode?: number): void {
  const fd = openSync(path, 'w');
  try {
    if (mode !== undefined) fchmodSync(fd, mode);
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The temp file a rewrite of `path` goes through (the journal records it before it exists). */
export const tempOf = (path: string): string => `${path}.microgen-tmp-${process.pid}`;

/** Matches the temp files of any microgen process. */
export const TEMP_NAME = /\.microgen-tmp-\d+$/;

/** Write through a temporary file and rename: readers see the old bytes or the new, never half. */
export function writeAtomic(path: string, content: string, durable = true): void {
  const tmp = tempOf(path);
  writeFd(tmp, content, durable);
  renameSync(tmp, path);
}

/**
 * Replaces the content of a file that may exist, through `tmp` and a rename, keeping the file's
 * permission bits. A file with other hard links is written in place instead: a rename would
 * leave the other names holding the old bytes (the journal's backup covers a crash meanwhile).
 */
export function rewrite(path: string, content: string, tmp: string, durable: boolean): void {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st?.isFile() && st.nlink > 1) return writeFd(path, content, durable);
  writeFd(tmp, content, durable, st?.isFile() ? st.mode & 0o7777 : undefined);
  renameSync(tmp, path);
}

/**
 * Written in place, without a temp: a fresh file (on failure the journal removes it whole) or one
 * whose torn version is harmless (the no-op cache: a torn one does not parse).
 */
export function writeInPlace(path: string, content: string): void {
  writeFd(path, content, false);
}

/**
 * `lstat` with a memory, for one run's look at the output folder before writing: each path is
 * looked at once, and nothing under a missing folder at all (a cold generate into a new folder
 * makes one system call here, not ~8,000 failing ones).
 */
export class PathProbe {
  private readonly known = new Map<string, 'missing' | 'link' | 'dir' | 'other'>();
  constructor(private readonly root: string) {}

  kind(path: string): 'missing' | 'link' | 'dir' | 'other' {
    let kind = this.known.get(path);
    if (kind) return kind;
    const parent = dirname(path);
    if (path.length > this.root.length && parent !== path && this.kind(parent) === 'missing') kind = 'missing';
    else {
      try {
        const st = lstatSync(path, { throwIfNoEntry: false });
        kind = !st ? 'missing' : st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        kind = 'missing'; // ENOTDIR: a file where a folder would be; the write reports it
      }
    }
    this.known.set(path, kind);
    return kind;
  }
}

/** The folders `mkdir -p` would create for `file` under `root`, outermost first. */
export function missingDirs(root: string, file: string, probe: PathProbe = new PathProbe(root)): string[] {
  const dirs: string[] = [];
  let dir = dirname(join(root, file));
  while (dir.length > root.length && probe.kind(dir) === 'missing') {
    dirs.unshift(dir);
    dir = dirname(dir);
  }
  return dirs;
}

/**
 * `mkdir -p`, without Node's recursive mkdir: that one loops forever when a parent exists but
 * cannot hold children (a path under /proc, a dangling symbolic link: mkdir answers ENOENT, the
 * parent EEXIST, and round again). Here each missing folder is made once, outermost first, and
 * the first error is thrown.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); ) {
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const d of missing.reverse()) makeDir(d);
}

/** One `mkdir` whose parent exists. */
export function makeDir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (err) {
    // Made meanwhile by someone else is fine; anything else (a file, a dangling link) is not.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw err;
  }
}

/**
 * A planned path must not lead through a symbolic link (a link planted at `services/user`
 * would make microgen write outside the output folder) nor through a file where a folder
 * must be. Returns the first such path on the way and what it is.
 */
export function blockedOnTheWay(root: string, file: string, probe: PathProbe = new PathProbe(root)): { at: string; kind: 'link' | 'file' } | undefined {
  let current = root;
  const parts = file.split('/');
  for (const [i, part] of parts.entries()) {
    current = current + sep + part;
    const kind = probe.kind(current);
    if (kind === 'link') return { at: current, kind };
    if (kind === 'other' && i < parts.length - 1) return { at: current, kind: 'file' };
    if (kind === 'missing') return undefined;
  }
  return undefined;
}
