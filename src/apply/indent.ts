/** The file's indentation unit: the first indented line's leading whitespace (two spaces if none). */
export function detectIndent(text: string): string {
  const m = /^([ \t]+)\S/m.exec(text);
  if (!m) return '  ';
  return m[1].startsWith('\t') ? '\t' : m[1];
}
