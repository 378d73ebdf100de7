/**
 * package.json files are the user's as much as microgen's: `npm install x -w services/user`
 * edits them, and a generated file edited by hand would be a conflict on the next generate.
 * So microgen creates each package.json once and afterwards only adds the scripts,
 * dependencies, overrides and workspaces the spec needs (JSON entry stubs). What the user
 * added, removed on purpose or pinned to another version stays as it is.
 */
import { jsonFile } from './header.js';
import type { JsonEntryStub, PlannedFile } from './tree.js';

export interface PackageJson {
  readonly [key: string]: unknown;
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, string>>;
  readonly workspaces?: readonly string[];
}

const ENSURED_SECTIONS = ['exports', 'scripts', 'dependencies', 'devDependencies', 'overrides'] as const;

export const PACKAGE_JSON_NOTE = 'Created by microgen and yours to edit: later runs only add the scripts and dependencies the spec needs.';

export function packageJsonFile(path: string, key: string, pkg: PackageJson): PlannedFile {
  const stubs: JsonEntryStub[] = [];
  for (const section of ENSURED_SECTIONS) {
    for (const [name, value] of Object.entries(pkg[section] ?? {})) stubs.push({ kind: 'json', key: `${section}:${name}`, path: [section, name], value });
  }
  for (const w of pkg.workspaces ?? []) stubs.push({ kind: 'json', key: `workspaces:${w}`, path: ['workspaces'], value: w, item: true });
  return { path, owner: 'scaffold', key, content: jsonFile({ '//': PACKAGE_JSON_NOTE, ...pkg }), stubs };
}
