/**
 * Inserting stub members into user-owned TypeScript files with ts-morph. Insert-only: a
 * missing method is added at the end of its class and a missing named import is added;
 * nothing is reordered, reformatted or removed (no organizeImports, no formatText, which
 * reorder and can drop comments). Indentation is taken from the file.
 *
 * ts-morph (and the TypeScript compiler inside it) costs hundreds of milliseconds to load,
 * so this module is imported only when a user file actually needs a stub.
 */
import type { MemberStub } from '../plan/tree.js';
import { detectIndent } from './indent.js';
import { assertParses } from './parse-check.js';

export interface StubResult {
  readonly text: string;
  /** Stub keys inserted now. */
  readonly added: readonly string[];
  /** Stub keys whose member was already there. */
  readonly present: readonly string[];
  /** Stub keys that could not be placed (their class is missing): reported, not fatal. */
  readonly unplaced: readonly string[];
}


function reindent(text: string, unit: string): string {
  if (unit === '  ') return text;
  return text.replace(/^((?: {2})+)/gm, (lead: string) => unit.repeat(lead.length / 2));
}

export async function ensureStubs(path: string, text: string, stubs: readonly MemberStub[]): Promise<StubResult> {
  await assertParses(path, text);
  const { Project, IndentationText, QuoteKind } = await import('ts-morph');
  const indent = detectIndent(text);
  const indentationText = indent === '\t' ? IndentationText.Tab : indent.length === 4 ? IndentationText.FourSpaces : IndentationText.TwoSpaces;
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    manipulationSettings: { indentationText, quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile(path.replace(/[^A-Za-z0-9_./-]/g, '_'), text);
  const added: string[] = [];
  const present: string[] = [];
  const unplaced: string[] = [];
  for (const stub of stubs) {
    const cls = file.getClass(stub.className);
    if (!cls) {
      unplaced.push(stub.key);
      continue;
    }
    if (cls.getMember(stub.memberName)) {
      present.push(stub.key);
      continue;
    }
    // Insert the member's text verbatim after the last member (or at the start of an empty body).
    const body = reindent(stub.text, indent);
    const members = cls.getMembers();
    const closing = cls.getEnd() - 1;
    const pos = members.length ? members[members.length - 1].getEnd() : closing;
    const current = file.getFullText();
    const before = current.slice(0, pos);
    const after = current.slice(pos);
    const inserted = members.length ? `\n\n${body}` : `${before.endsWith('\n') ? '' : '\n'}${body}\n`;
    file.replaceWithText(before + inserted + after);
    for (const [module, names] of Object.entries(stub.imports ?? {})) {
      const decl = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === module);
      const have = new Set(decl?.getNamedImports().map((n) => n.getName()) ?? []);
      const missing = names.filter((n) => !have.has(n));
      if (missing.length === 0) continue;
      if (decl) decl.addNamedImports(missing);
      else file.addImportDeclaration({ moduleSpecifier: module, namedImports: missing });
    }
    added.push(stub.key);
  }
  return { text: file.getFullText(), added, present, unplaced };
}
