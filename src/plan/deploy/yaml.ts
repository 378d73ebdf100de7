/**
 * YAML for deployment files, which tools read with YAML 1.1 parsers (docker-compose 1.29's PyYAML,
 * Kubernetes' go-yaml) as well as 1.2 ones (compose 2, kustomize): a string such as `off`, `yes`
 * or `22:22` must be quoted for the first, `0o17` for the second.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';

const OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0 } as const;

/** YAML text of a JSON value that YAML 1.1 and 1.2 parsers both read back as that value. */
export function toPortableYaml(value: unknown): string {
  const text = stringify(value, { ...OPTIONS, version: '1.1' });
  if (isDeepStrictEqual(parse(text, { version: '1.2' }), value)) return text;
  return stringify(value, { ...OPTIONS, version: '1.1', defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
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
