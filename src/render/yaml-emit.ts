/**
 * A small YAML emitter for JSON data (objects, arrays, strings, numbers, booleans, null), in
 * the block style a person writes. The `yaml` library's stringify builds a node tree first and
 * costs ~1.5 ms per OpenAPI document; generation emits one per service, so this plain walk
 * keeps `generate` fast. Strings are plain when that is unambiguous, else JSON-quoted (JSON's
 * escapes are a subset of YAML's double-quoted ones). A property test round-trips random data
 * through the `yaml` parser.
 */

// Plain scalars YAML 1.1 or 1.2 would read as something other than a string.
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|\.inf|-\.inf|\+\.inf|\.nan|<<|=)$/i;
const NUMBER_LIKE = /^[-+]?(?:\.?\d|0[xob])|^[-+]?\.(?:inf|nan)$/i;
const SAFE_PLAIN = /^[A-Za-z_/$][\w ./$(){}@+-]*$/;

function scalarText(value: string): string {
  const plain = value !== '' && SAFE_PLAIN.test(value) && !RESERVED.test(value) && !NUMBER_LIKE.test(value) && !value.endsWith(' ') && !/[{}]/.test(value.charAt(0));
  return plain ? value : JSON.stringify(value);
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

function emit(value: unknown, indent: string, out: string[]): void {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item) && hasEntries(item)) {
        const lines: string[] = [];
        emit(item, inner, lines);
        // The first key goes on the dash's line.
        out.push(`${indent}- ${lines[0].slice(inner.length)}`, ...lines.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        emit(item, inner, out);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  const map = value as Record<string, unknown>;
  for (const key in map) {
    const v = map[key];
    if (hasEntries(v)) {
      out.push(`${indent}${keyText(key)}:`);
      emit(v, inner, out);
    } else {
      out.push(`${indent}${keyText(key)}: ${inline(v)}`);
    }
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
