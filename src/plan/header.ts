/**
 * The ownership header of generated files, in each format's comment syntax. (The only JSON
 * files, package.json, are user-owned: see package-json.ts.)
 */
import { HEADER_TEXT } from './tree.js';

export const tsHeader = (specPath: string, yours = 'src/handlers/ and src/main.ts'): string =>
  `// ${HEADER_TEXT}. Source: ${specPath}.\n// Regenerate with \`microgen generate\`; put your code in ${yours}.\n`;
export const hashHeader = (specPath: string): string => `# ${HEADER_TEXT}. Source: ${specPath}.\n`;
export const markdownHeader = (specPath: string): string => `<!-- ${HEADER_TEXT}. Source: ${specPath}. -->\n`;

/** Stable, two-space JSON with a trailing newline: deterministic bytes for the manifest. */
export const jsonFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
