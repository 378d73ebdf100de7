/**
 * Reading a folder into a path → content map, for comparing whole trees in tests. The no-op
 * cache (`.microgen/cache.json`: sizes and mtimes, local to one folder) is never part of it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export function readTree(root: string, opts: { skip?: (path: string) => boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (rel === '.microgen/cache.json' || opts.skip?.(rel)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.set(rel, readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function mtimes(root: string, paths: Iterable<string>): Map<string, number> {
  return new Map([...paths].map((p) => [p, statSync(join(root, p)).mtimeMs]));
}

/**
 * Everything about a folder that a run could change: each path (folders too), and for each file
 * its bytes, mode and mtime; the no-op cache included. Equal snapshots mean nothing was written.
 */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      const st = statSync(full);
      if (entry.isDirectory()) {
        out.set(`${rel}/`, `dir ${st.mode.toString(8)}`);
        walk(full);
      } else out.set(rel, `${st.mode.toString(8)} ${st.mtimeMs} ${readFileSync(full).toString('base64')}`);
    }
  };
  walk(root);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
