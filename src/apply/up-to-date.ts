/**
 * The no-op shortcut. A second `generate` with the same spec must write nothing; proving that
 * the long way means linting, rendering and hashing every file (hundreds of milliseconds for
 * 100 services). Like git's index, `.microgen/cache.json` remembers a fingerprint of the inputs
 * (spec bytes, where the spec is, microgen's build) and each file's size and mtime as of the
 * last run. When the fingerprint matches and no file's stat changed, nothing can have changed.
 *
 * The cache is local (ignored by git) and only ever an accelerator: anything unexpected
 * (no cache, no build id when running from sources, a changed or missing file) means the full
 * run, which is always correct.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readText, writeAtomic, ensureDir, type FileStamp } from './fsx.js';
import { JOURNAL_DIR } from './journal.js';
import { MANIFEST_DIR, MANIFEST_PATH } from './manifest.js';

export const CACHE_PATH = `${MANIFEST_DIR}/cache.json`;

interface Cache {
  version: 1;
  fingerprint: string;
  /** path → [size, mtimeMs] */
  files: Record<string, FileStamp>;
}

/** Identifies microgen's build (scripts/build-id.js); undefined when running from sources. */
function buildId(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../build-id.json', import.meta.url), 'utf8')) as { id: string }).id;
  } catch {
    return undefined;
  }
}

export function fingerprint(specBytes: Uint8Array, specPathFromOut: string, id: string | undefined = buildId()): string | undefined {
  if (!id) return undefined;
  return createHash('sha256').update(id).update('\0').update(specPathFromOut).update('\0').update(specBytes).digest('hex');
}

function statOf(path: string): FileStamp | undefined {
  try {
    const st = statSync(path);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** How many files are known to be up to date, or undefined when a full run is needed. */
export function upToDate(outDir: string, print: string | undefined): number | undefined {
  // An interrupted run leaves a journal: the full run recovers it.
  if (!print || existsSync(join(outDir, JOURNAL_DIR))) return undefined;
  const text = readText(join(outDir, CACHE_PATH));
  if (!text) return undefined;
  let cache: Cache;
  try {
    cache = JSON.parse(text) as Cache;
  } catch {
    return undefined;
  }
  if (cache.version !== 1 || cache.fingerprint !== print) return undefined;
  const paths = Object.keys(cache.files);
  for (const p of paths) {
    const st = statOf(join(outDir, p));
    if (!st || st[0] !== cache.files[p][0] || st[1] !== cache.files[p][1]) return undefined;
  }
  return paths.length - 1;
}

/**
 * Records the state after a successful run: the files the manifest (just committed) lists, and
 * the manifest itself. `written` has the stamps of files this run wrote; the others are looked at.
 */
export function recordUpToDate(outDir: string, print: string | undefined, manifestPaths: readonly string[], written: ReadonlyMap<string, FileStamp> = new Map()): void {
  if (!print) return;
  const files: Record<string, FileStamp> = {};
  for (const p of [...manifestPaths, MANIFEST_PATH].sort()) {
    const st = written.get(p) ?? statOf(join(outDir, p));
    if (!st) return; // a planned file is missing (a deleted user file): no shortcut next time
    files[p] = st;
  }
  const next = `${JSON.stringify({ version: 1, fingerprint: print, files } satisfies Cache)}\n`;
  if (readText(join(outDir, CACHE_PATH)) === next) return;
  ensureDir(join(outDir, MANIFEST_DIR));
  writeAtomic(join(outDir, CACHE_PATH), next, false);
}

