/**
 * Escaping spec text for the place it lands in generated code. Names are validated by the
 * schema, but descriptions and paths are free text: a description containing `*\/`,
 * backticks, `${` or quotes must not break out of a comment or a string literal.
 */

/** Characters tsString must escape; most strings (names, paths, prose) have none. */
const TS_SPECIAL = /['\\\u0000-\u001f\u007f\u2028\u2029]/;

/** A single-quoted TypeScript string literal, quotes included. */
export function tsString(value: string): string {
  if (!TS_SPECIAL.test(value)) return `'${value}'`;
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x2028 || code === 0x2029 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** Text safe inside a block comment (`/* … *\/` or JSDoc): no terminator, one line per line. */
export function commentText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\u2215')
    .replace(/[\u2028\u2029]/g, ' ')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** A JSDoc block at `indent`, or nothing for an empty text. */
export function jsDoc(value: string | undefined, indent = ''): string {
  if (!value || !value.trim()) return '';
  const lines = commentText(value.trim()).split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** A line comment body for `#`-comment formats (YAML, Dockerfile, shell): one line, no newlines. */
export function hashCommentText(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

/** A double-quoted YAML scalar (JSON strings are valid YAML). */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Markdown text on one line (for README tables and headings). */
export function markdownInline(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Prose as `// ` comment lines of at most `width` columns (words are never split). */
export function lineComment(value: string, width = 100, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of commentText(value).split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 3 + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}// ${l}`).join('\n');
}
