/**
 * `.microgen/manifest.json`: what the last generation wrote. For each path its owner class,
 * stable key and the sha256 of the bytes microgen last wrote (so a hand edit is detectable),
 * and for user-owned files the stubs already ensured (so a method the user deleted on purpose
 * is not added back). Keys sorted, no timestamps: the manifest is as deterministic as the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberRecord } from '../plan/renames.js';
import type { Owner } from '../plan/tree.js';

export const MANIFEST_DIR = '.microgen';
export const MANIFEST_PATH = `${MANIFEST_DIR}/manifest.json`;

export interface ManifestEntry {
  readonly owner: Owner;
  readonly key: string;
  readonly sha256: string;
  /** Scaffold files: keys of the stubs ensured so far. */
  readonly stubs?: readonly string[];
}

/** The port a service was generated with, in spec order; `implicit` when it had no `port:`. */
export interface ManifestPort {
  readonly service: string;
  readonly port: number;
  readonly implicit?: true;
}

export interface Manifest {
  readonly version: 1;
  readonly generator: string;
  /** Only to warn when a port moves (src/apply/ports.ts); never decides what is generated. */
  readonly ports?: readonly ManifestPort[];
  readonly files: Readonly<Record<string, ManifestEntry>>;
  /**
   * The members the spec asked the user's handler classes for, by service: stub key → identity
   * (what the rename detector matches on, src/plan/renames.ts). Derived from the spec alone.
   */
  readonly members?: MemberRecord;
}

export const emptyManifest = (generator: string): Manifest => ({ version: 1, generator, files: {} });

export class ManifestError extends Error {}

export function readManifest(outDir: string, generator: string): Manifest {
  let text: string;
  try {
    text = readFileSync(join(outDir, MANIFEST_PATH), 'utf8');
  } catch {
    return emptyManifest(generator);
  }
  try {
    const data = JSON.parse(text) as Manifest;
    if (data.version !== 1 || typeof data.files !== 'object' || data.files === null) throw new Error('unknown format');
    if (data.members !== undefined && (typeof data.members !== 'object' || data.members === null)) throw new Error('unknown format of members');
    return data;
  } catch (err) {
    throw new ManifestError(`${MANIFEST_PATH} is not a microgen manifest (${(err as Error).message}); delete it to adopt the files as they are`);
  }
}

export function serializeManifest(manifest: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(manifest.files).sort()) {
    const e = manifest.files[path];
    files[path] = { owner: e.owner, key: e.key, sha256: e.sha256, ...(e.stubs?.length ? { stubs: [...e.stubs].sort() } : {}) };
  }
  const ports = manifest.ports?.map((p) => ({ service: p.service, port: p.port, ...(p.implicit ? { implicit: true } : {}) }));
  const members = manifest.members && Object.keys(manifest.members).length ? { members: sortedMembers(manifest.members) } : {};
  return `${JSON.stringify({ version: 1, generator: manifest.generator, ...(ports ? { ports } : {}), files, ...members }, null, 2)}\n`;
}

function sortedMembers(record: MemberRecord): MemberRecord {
  const sorted: MemberRecord = {};
  for (const service of Object.keys(record).sort()) {
    sorted[service] = Object.fromEntries(Object.keys(record[service]).sort().map((key) => [key, record[service][key]]));
  }
  return sorted;
}
