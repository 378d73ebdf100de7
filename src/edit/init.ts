/**
 * `microgen init`: a new spec from one of the shipped examples, with only its `name` and its
 * schema modeline changed. The example's comments and layout are the documentation a new
 * user reads first, so the text is copied as is and the two values are spliced in at the
 * positions the parsed Document gives (the rest stays byte-identical).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import { SCHEMA_PATH } from '../spec/schema.js';
import { EditError } from './insert.js';
import { ownPath } from '../util/own-files.js';

export const EXAMPLES = ['minimal', 'shop'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** The package's examples/ folder (from src/edit/ or dist/edit/). */
const EXAMPLES_DIR = ownPath('examples');

export function exampleText(name: ExampleName): string {
  return readFileSync(join(EXAMPLES_DIR, name, 'microgen.yaml'), 'utf8');
}

/** Where microgen sits when the project installs it: the path editors should prefer. */
export const INSTALLED_SCHEMA = './node_modules/microgen/schema/microgen.schema.json';

/**
 * The `$schema` path for a spec in `dir`. yaml-language-server (the YAML extension of VS Code
 * and most editors) resolves a relative modeline path against the YAML file's folder, takes an
 * absolute path or a `file:` URL as is, and reads the value up to the first space. It does not
 * search node_modules by itself.
 *
 * - When `dir` has microgen installed (`node_modules/microgen`), point there: the path is
 *   the same on every machine that ran `npm install`, so the spec can be committed as is, and
 *   the schema always matches the project's own microgen version.
 * - Otherwise point at the schema of the microgen that is running now (a global install or
 *   npx cache), relative to `dir` so moving the tree that holds both keeps it working.
 * - Absolute when no useful relative path exists: another Windows drive, or a path that
 *   would climb up to the filesystem root (that is an absolute path in disguise).
 * - A `file:` URL when the path has a space, which would end the modeline's value.
 */
export function schemaModelinePath(dir: string, schemaPath: string = SCHEMA_PATH): string {
  if (existsSync(join(dir, INSTALLED_SCHEMA))) return INSTALLED_SCHEMA;
  const rel = relative(dir, schemaPath);
  const ups = rel.split(sep).filter((s) => s === '..').length;
  const depth = resolve(dir).split(sep).filter(Boolean).length;
  const useAbsolute = rel === '' || isAbsolute(rel) || ups >= depth;
  const path = useAbsolute ? schemaPath.split(sep).join('/') : rel.split(sep).join('/');
  if (/\s/.test(path)) return pathToFileURL(schemaPath).href;
  return useAbsolute || path.startsWith('../') ? path : `./${path}`;
}

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=.*$/m;

/** The example with `name` and the modeline replaced; everything else byte-identical. */
export function initSpecText(example: string, opts: { name: string; schemaPath: string }): string {
  const modeline = `# yaml-language-server: $schema=${opts.schemaPath}`;
  const first = example.split('\n', 1)[0].replace(/\r$/, '');
  const withModeline = MODELINE.test(first) ? modeline + example.slice(first.length) : `${modeline}\n${example}`;
  const doc = parseDocument(withModeline);
  if (doc.errors.length || !isMap(doc.contents)) throw new EditError('the example is not a YAML map');
  const pair = (doc.contents.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'name');
  const value = pair?.value as Node | null | undefined;
  if (!value?.range || !isScalar(value)) throw new EditError('the example has no `name`');
  // A kebab-case name is a plain YAML scalar: no quoting needed.
  const out = withModeline.slice(0, value.range[0]) + opts.name + withModeline.slice(value.range[1]);
  const check = parseDocument(out);
  if (check.errors.length || check.get('name') !== opts.name) throw new EditError('could not set the name in the example');
  return out;
}
