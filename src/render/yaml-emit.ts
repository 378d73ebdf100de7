/**
 * A small YAML emitter for JSON data (objects, arrays, strings, numbers, booleans, null), in
 * the block style a person writes. The `yaml` library's stringify builds a node tree first and
 * costs ~1.5 ms per OpenAPI document; generation emits one per service, so this plain walk
 * keeps `generate` fast. Strings are plain when that is unambiguous, else JSON-quoted (JSON's
 * escapes are a subset of YAML's double-quoted ones). A property test round-trips random data
 * through the `yaml` parser.
 */

/**
 * A string that can be written plain: it starts with a letter, `_`, `/` or `$` (so it is no
 * number, `.inf`, `~`, `<<` or indicator), holds only characters with no meaning to YAML in
 * block context, and is none of the words YAML 1.1 or 1.2 read as a boolean or null. One
 * expression, because it runs for every key and value of every OpenAPI document.
 */
const PLAIN = /^(?!(?:true|false|yes|no|on|off|y|n|null)$)[A-Za-z_/$][\w ./$(){}@+-]*$/i;

function scalarText(value: string): string {
  return PLAIN.test(value) && value.charCodeAt(value.length - 1) !== 32 ? value : JSON.stringify(value);
}

function keyText(key: string): string {
  return scalarText(key);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? '.inf' : value < 0 ? '-.inf' : '.nan';
  if (typeof value === 'boolean') return String(value);
  return scalarText(String(value));
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A map or list with something in it (without building a key array per value: this runs for every node). */
function hasEntries(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v === null || typeof v !== 'object') return false;
  for (const _ in v) return true;
  return false;
}

/**
 * Appends the lines of `value` (a non-empty map or list) at `indent`. `first` replaces the
 * indentation of the first line: a map that is a list entry starts on the dash's line.
 */
function emit(value: unknown, indent: string, out: string[], first: string = indent): void {
  const inner = `${indent}  `;
  let lead = first;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item) && hasEntries(item)) {
        emit(item, inner, out, `${lead}- `);
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${lead}-`);
        emit(item, inner, out);
      } else {
        out.push(`${lead}- ${inline(item)}`);
      }
      lead = indent;
    }
    return;
  }
  const map = value as Record<string, unknown>;
  for (const key in map) {
    const v = map[key];
    if (hasEntries(v)) {
      out.push(`${lead}${keyText(key)}:`);
      emit(v, inner, out);
    } else {
      out.push(`${lead}${keyText(key)}: ${inline(v)}`);
    }
    lead = indent;
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  return scalar(value);
}

/** YAML text of a JSON value, ending with a newline. */
export function toYaml(value: unknown): string {
  if (!isObject(value) && !Array.isArray(value)) return `${scalar(value)}\n`;
  if (!hasEntries(value)) return `${inline(value)}\n`;
  const out: string[] = [];
  emit(value, '', out);
  return `${out.join('\n')}\n`;
}
