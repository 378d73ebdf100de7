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

function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item) && Object.keys(item).length > 0) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        // The first key goes on the dash's line.
        out.push(`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        emit(item, `${indent}  `, out);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if ((isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) {
      out.push(`${indent}${keyText(key)}:`);
      emit(v, Array.isArray(v) ? `${indent}  ` : `${indent}  `, out);
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
  if ((isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0)) return `${inline(value)}\n`;
  const out: string[] = [];
  emit(value, '', out);
  return `${out.join('\n')}\n`;
}
