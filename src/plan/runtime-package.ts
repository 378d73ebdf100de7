/**
 * The runtime library (`runtime/` in this repository, built to `runtime/dist/`) as the generator
 * sees it: the files every generated system receives under `packages/runtime/`. Read once per
 * process; the generator that copies it stays a pure function of the model and this input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ownPath } from '../util/own-files.js';

export const RUNTIME_DIR = ownPath('runtime');

export interface RuntimePackage {
  /** runtime/package.json, parsed. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The built files (`dist/index.js`, `dist/index.d.ts`, …), POSIX paths relative to runtime/, sorted. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

let cached: RuntimePackage | undefined;

export class RuntimeNotBuilt extends Error {}

/** The built runtime; throws RuntimeNotBuilt when `npm run build` has not run. */
export function loadRuntimePackage(dir: string = RUNTIME_DIR): RuntimePackage {
  if (cached && dir === RUNTIME_DIR) return cached;
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'index.js'))) throw new RuntimeNotBuilt(`the runtime library is not built (${dist} is missing): run \`npm run build\` in microgen's folder`);
  const files: { path: string; content: string }[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|d\.ts)$/.test(entry.name)) files.push({ path: relative(dir, full).split(sep).join('/'), content: readFileSync(full, 'utf8') });
    }
  };
  walk(dist);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const runtime = { manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>, files };
  if (dir === RUNTIME_DIR) cached = runtime;
  return runtime;
}
