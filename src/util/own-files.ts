/**
 * Where microgen's own files are (templates/, schema/, examples/, generators/, runtime/,
 * package.json): under the package root, the nearest folder above this module with a
 * package.json. Code runs from src/ (tests), dist/ (tsc) or dist/bundle/ (the shipped CLI), at
 * different depths, so paths are taken from the root rather than relative to each module.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`microgen's package.json is not above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under microgen's package root, e.g. `ownPath('schema', 'microgen.schema.json')`. */
export const ownPath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
