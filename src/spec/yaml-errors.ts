/**
 * The yaml library's errors for the mistakes people make typing a spec by hand (a line indented
 * one space off, a tab, a missing colon, an unclosed quote), in plain words and at the line that
 * needs the fix. "Nested mappings are not allowed in compact mappings" for a key indented 3
 * spaces instead of 4 tells a spec author nothing.
 */

interface Line {
  readonly start: number;
  readonly text: string;
  /** Leading spaces. */
  readonly indent: number;
  /** Holds more than blanks and a comment. */
  readonly content: boolean;
}

export interface Explained {
  /** Where the fix goes (a character offset), which is not always where the parser noticed. */
  readonly offset: number;
  readonly message: string;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trimStart();
    lines.push({ start, text: line, indent: line.length - line.replace(/^ +/, '').length, content: trimmed !== '' && !trimmed.startsWith('#') });
    start += raw.length + 1;
  }
  return lines;
}

function lineAt(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const spaces = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;

/** The line as the message names it: `key:` for a map entry, else its first characters. */
function shown(line: Line): string {
  const text = line.text.trim();
  const key = /^(-\s+)?([^\s:#'"][^:#]*?):(\s|$)/.exec(text);
  if (key) return `\`${key[1] ?? ''}${key[2]}:\``;
  // By characters, not UTF-16 units: cutting between the halves of a surrogate pair (an emoji, a
  // CJK extension character) would put a lone half into the message.
  const chars = [...text];
  return `\`${chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : text}\``;
}

/** A key or list item that lines up with nothing above it: name the nearest deeper and shallower lines. */
function misaligned(lines: readonly Line[], i: number, what: 'key' | 'item'): Explained {
  const n = lines[i].indent;
  let deeper: number | undefined;
  let shallower: number | undefined;
  for (let j = i - 1; j >= 0; j--) {
    const line = lines[j];
    if (!line.content) continue;
    if (line.indent < n) {
      shallower = j;
      break;
    }
    if (line.indent > n && (deeper === undefined || line.indent < lines[deeper].indent)) deeper = j;
  }
  const candidates = [deeper, shallower].filter((j): j is number => j !== undefined).map((j) => `${shown(lines[j])} on line ${j + 1} (${spaces(lines[j].indent)})`);
  const rule = what === 'key' ? 'the keys of one map start in the same column' : 'the items of one list start in the same column';
  const lineUp = candidates.length ? `lines up with no ${what} above it: not with ${candidates.join(', nor with ')}; ` : '';
  return { offset: lines[i].start + n, message: `${shown(lines[i])} is indented ${spaces(n)} and ${lineUp}${rule}` };
}

/**
 * `a: 1` followed by a line indented deeper: YAML reads the deeper line as the rest of a
 * multi-line value, which cannot hold a map. Point at the deeper line.
 */
function deeperThanValued(lines: readonly Line[], i: number): Explained | undefined {
  const valued = lines[i];
  for (let k = i + 1; k < lines.length; k++) {
    const line = lines[k];
    if (!line.content) continue;
    if (line.indent <= valued.indent) return undefined;
    return {
      offset: line.start + line.indent,
      message: `${shown(line)} is indented ${spaces(line.indent)}, deeper than ${shown(valued)} on line ${i + 1} (${spaces(valued.indent)}), which already has a value: the keys of one map start in the same column`,
    };
  }
  return undefined;
}

/** The quote that opens a string running to the end of the file. */
function openingQuote(text: string, quote: '"' | "'"): number {
  let p = text.lastIndexOf(quote);
  // Inside the unclosed string `\"` (double quotes) and `''` (single quotes) are escapes, not the opening.
  while (p > 0 && (quote === '"' ? text[p - 1] === '\\' : text[p - 1] === "'")) p = text.lastIndexOf(quote, quote === '"' ? p - 1 : p - 2);
  return p;
}

/** Plain words for a yaml library error, or undefined to keep the library's message. */
export function explainYamlError(text: string, code: string, message: string, offset: number): Explained | undefined {
  if (code === 'TAB_AS_INDENT') return { offset, message: 'this line is indented with a tab: YAML indents with spaces only (a spec uses 2 per level)' };
  if (code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(message)) {
    const quote = message.includes('"quote') ? '"' : "'";
    const at = openingQuote(text, quote);
    if (at < 0) return undefined;
    return { offset: at, message: `this ${quote === '"' ? 'double' : 'single'}-quoted string is never closed: add the closing ${quote} (without it, the rest of the file is part of the string)` };
  }
  const lines = linesOf(text);
  const i = lineAt(lines, offset);
  if (code === 'BAD_INDENT' && /must start at the same column/.test(message)) return misaligned(lines, i, /sequence/.test(message) ? 'item' : 'key');
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && /block sequence/.test(message)) return misaligned(lines, i, 'item');
  if (code === 'BLOCK_AS_IMPLICIT_KEY') return deeperThanValued(lines, i);
  if (code === 'MULTILINE_IMPLICIT_KEY' && /^Implicit keys need/.test(message)) {
    return { offset: lines[i].start + lines[i].indent, message: `${shown(lines[i])} is not \`key: value\` (a key needs a colon and a space after it), so YAML reads it and the next line as one long key` };
  }
  return undefined;
}
