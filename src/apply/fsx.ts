/** Small file-system helpers with the durability the applier needs. */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync, lstatSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function writeFd(path: string, content: string, durable: boolean): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write through a temporary file and rename: readers see the old bytes or the new, never half. */
export function writeAtomic(path: string, content: string, durable = true): void {
  const tmp = `${path}.microgen-tmp-${process.pid}`;
  writeFd(tmp, content, durable);
  renameSync(tmp, path);
}

/** A fresh file needs no temp: on failure the journal removes it whole. */
export function writeNew(path: string, content: string): void {
  writeFd(path, content, false);
}

/** The folders `mkdir -p` would create for `file` under `root`, outermost first. */
export function missingDirs(root: string, file: string): string[] {
  const dirs: string[] = [];
  let dir = dirname(join(root, file));
  while (dir.length > root.length && !existsSync(dir)) {
    dirs.unshift(dir);
    dir = dirname(dir);
  }
  return dirs;
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * A planned path must not lead through a symbolic link: a link planted at
 * `services/user` would make microgen write outside the output folder.
 */
export function linkOnTheWay(root: string, file: string, checked: Set<string> = new Set()): string | undefined {
  const parts = file.split('/');
  let current = root;
  for (const part of parts) {
    current = current + sep + part;
    // Folders shared by many planned files are looked at once (pass the same `checked` set).
    if (checked.has(current)) continue;
    try {
      if (lstatSync(current).isSymbolicLink()) return current;
    } catch {
      return undefined;
    }
    checked.add(current);
  }
  return undefined;
}
