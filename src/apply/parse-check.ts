/**
 * The guard before any edit of a user's TypeScript file (stubs, renames): a file that does not
 * parse is refused with its first syntax error and position, and nothing is changed. Inserting
 * into it would guess where a class ends (a stub after the closing brace, a duplicate member).
 * Loads the TypeScript compiler (through ts-morph), so it is imported only when a file is edited.
 */

export class UserFileSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${col} error syntax: ${reason}`);
  }
}

/** Throws `UserFileSyntaxError` (`path:line:col error syntax: message`) when `text` does not parse. */
export async function assertParses(path: string, text: string): Promise<void> {
  const { ts } = await import('ts-morph');
  // Syntactic diagnostics only: no program, no types, no lib files.
  const { diagnostics = [] } = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ESNext } });
  const first = diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error && d.file && d.start !== undefined);
  if (!first?.file || first.start === undefined) return;
  const { line, character } = first.file.getLineAndCharacterOfPosition(first.start);
  throw new UserFileSyntaxError(path, line + 1, character + 1, ts.flattenDiagnosticMessageText(first.messageText, ' '));
}
