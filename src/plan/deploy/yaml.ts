/**
 * YAML for deployment files, which tools read with YAML 1.1 parsers (docker-compose 1.29's PyYAML,
 * Kubernetes' go-yaml) as well as 1.2 ones (compose 2, kustomize): a string such as `off`, `yes`
 * or `22:22` must be quoted for the first, `0o17` for the second.
 */
import { stringify } from 'yaml';

// No directives: none is ever needed (see src/render/yaml.ts).
const OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0, version: '1.1', directives: false } as const;

/** A string that YAML 1.2 reads as a number but 1.1, and so the 1.1 writer, as a string: an octal `0o17`. */
const OCTAL_1_2 = /^[-+]?0o[0-7]+$/;

function hasOctalLike(value: unknown): boolean {
  if (typeof value === 'string') return OCTAL_1_2.test(value);
  if (Array.isArray(value)) return value.some(hasOctalLike);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => OCTAL_1_2.test(k) || hasOctalLike(v));
  return false;
}

/**
 * YAML text of a JSON value that YAML 1.1 and 1.2 parsers both read back as that value: written
 * with 1.1's quoting, which covers every string 1.1 would read otherwise and all of 1.2's but
 * one form, which quotes every string when it appears.
 */
export function toPortableYaml(value: unknown): string {
  return stringify(value, hasOctalLike(value) ? { ...OPTIONS, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' } : OPTIONS);
}
/** Text as `#` comment lines of at most `width` columns (words longer than that stay whole). */
export function hashComment(text: string, width = 100): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const indent = /^\s*/.exec(paragraph)![0];
    let line = '';
    for (const word of paragraph.trim().split(/\s+/)) {
      if (line !== '' && indent.length + line.length + word.length + 3 > width) {
        lines.push(`${indent}${line}`);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(`${indent}${line}`);
  }
  return lines.map((l) => (l.trim() === '' ? '#\n' : `# ${l}\n`)).join('');
}
