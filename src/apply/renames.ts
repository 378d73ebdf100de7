/**
 * `generate`'s side of a rename (the detector is src/plan/renames.ts): the member keeps its
 * body, comments and formatting under its new name, in the user's handler class. ts-morph's
 * rename (the language service's, as an editor's "rename symbol") also updates the call sites
 * it can see in the service's other user-owned files, and the generated type names the method's
 * signature uses (`Op.GreetRequest` → `Op.SendGreetingRequest`) follow. The manifest's stub keys
 * move with the members, so no stub is added for the new name.
 *
 * Nothing here writes: the edited texts become actions like any other (see reconcile.ts).
 * ts-morph loads only when there is a rename to make.
 */
import { messageTypeName } from '../plan/generators/events.js';
import { pascalCase } from '../model/names.js';
import { servicePath } from '../plan/paths.js';
import { detectRenames, memberOfKey, membersOfRecord, type MemberKind, type Rename, type RenameHint, type UserMember } from '../plan/renames.js';
import type { Manifest, ManifestEntry } from './manifest.js';

/** Where each kind of member lives, and the generated types its signature names (`Greet` → `GreetRequest`). */
const HOME: Record<MemberKind, { file: string; className: string; types: readonly string[] }> = {
  operation: { file: 'src/handlers/operations.ts', className: 'Operations', types: ['Request', 'Reply'] },
  handler: { file: 'src/handlers/events.ts', className: 'Events', types: [''] },
  fallback: { file: 'src/handlers/fallbacks.ts', className: 'Fallbacks', types: ['Call', 'Reply'] },
};

const typeNames = (kind: MemberKind, name: string): string[] =>
  kind === 'handler' ? [messageTypeName(name)] : HOME[kind].types.map((suffix) => `${pascalCase(name)}${suffix}`);

/** The handler file a member lives in. */
export const memberPath = (r: Pick<Rename, 'service' | 'kind'>): string => servicePath(r.service, HOME[r.kind].file);

export interface RenamePlan {
  /** The previous manifest with the renamed members' stub keys moved to their new names. */
  readonly manifest: Manifest;
  /** User files the renames change: path → the text before and after. */
  readonly edited: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
  /** The renames made (a member the user already removed or renamed is left alone). */
  readonly renamed: readonly Rename[];
  readonly hints: readonly RenameHint[];
}

/** What the last generation asked of the user's classes: recorded, or (older manifests) their stub keys. */
function previousMembers(manifest: Manifest): UserMember[] {
  if (manifest.members) return membersOfRecord(manifest.members);
  return Object.entries(manifest.files).flatMap(([path, entry]) => {
    const service = /^services\/([^/]+)\/src\/handlers\//.exec(path)?.[1];
    return service ? (entry.stubs ?? []).flatMap((key) => memberOfKey(service, key, '') ?? []) : [];
  });
}

/**
 * The renames from the last generation to the spec's `members` (`userMembers`), made in the
 * user's files. `userFiles` gives a service's user-owned TypeScript files (path → text); it is
 * asked only when there is a rename.
 */
export async function planRenames(manifest: Manifest, members: readonly UserMember[], userFiles: (service: string) => Map<string, string>): Promise<RenamePlan> {
  const { renames, hints } = detectRenames(previousMembers(manifest), members);
  if (renames.length === 0) return { manifest, edited: new Map(), renamed: [], hints };
  const files = new Map<string, string>();
  for (const service of new Set(renames.map((r) => r.service))) for (const [path, text] of userFiles(service)) files.set(path, text);
  const { changed, applied } = await renameMembers(files, renames);
  const edited = new Map([...changed].map(([path, after]) => [path, { before: files.get(path)!, after }]));
  const moved = new Map<string, Map<string, string>>();
  for (const r of applied) {
    const path = memberPath(r);
    moved.set(path, (moved.get(path) ?? new Map<string, string>()).set(r.from.key, r.to.key));
  }
  const entries: Record<string, ManifestEntry> = { ...manifest.files };
  for (const [path, keys] of moved) {
    const entry = entries[path];
    if (entry?.stubs) entries[path] = { ...entry, stubs: entry.stubs.map((k) => keys.get(k) ?? k) };
  }
  return { manifest: { ...manifest, files: entries }, edited, renamed: applied, hints };
}

/** Renames members in `files` (path → text); returns the texts that changed and the renames made. */
export async function renameMembers(files: ReadonlyMap<string, string>, renames: readonly Rename[]): Promise<{ changed: Map<string, string>; applied: Rename[] }> {
  const { Node, Project } = await import('ts-morph');
  const project = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  // In-memory paths are absolute; the output folder's relative paths sit under the root.
  for (const [path, text] of files) project.createSourceFile(`/${path}`, text);
  // A file that does not parse is left as it is: a rename there could land anywhere.
  const program = project.getProgram();
  for (const file of project.getSourceFiles()) if (program.getSyntacticDiagnostics(file).length > 0) project.removeSourceFile(file);
  const applied: Rename[] = [];
  for (const r of renames) {
    const cls = project.getSourceFile(`/${memberPath(r)}`)?.getClass(HOME[r.kind].className);
    const member = cls?.getMember(r.from.name);
    if (!cls || !member || !Node.isMethodDeclaration(member) || cls.getMember(r.to.name)) continue;
    member.rename(r.to.name);
    const types = new Map(typeNames(r.kind, r.from.name).map((old, i) => [old, typeNames(r.kind, r.to.name)[i]]));
    for (const file of project.getSourceFiles()) {
      // Only names in type positions (`Op.GreetRequest`, `import { GreetRequest }`), one at a time:
      // a replacement re-parses the file.
      const isTypeName = (n: import('ts-morph').Identifier): boolean => {
        const parent = n.getParent();
        return types.has(n.getText()) && (Node.isQualifiedName(parent) || Node.isTypeReference(parent) || Node.isImportSpecifier(parent));
      };
      const next = () => file.getFirstDescendant((d) => Node.isIdentifier(d) && isTypeName(d));
      for (let n = next(); n; n = next()) n.replaceWithText(types.get(n.getText())!);
    }
    applied.push(r);
  }
  const changed = new Map<string, string>();
  for (const [path, text] of files) {
    const after = project.getSourceFile(`/${path}`)?.getFullText() ?? text;
    if (after !== text) changed.set(path, after);
  }
  return { changed, applied };
}
