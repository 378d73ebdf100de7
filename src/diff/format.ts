/**
 * Printing changes: `text` for people, `json` for tools, `github` for workflow annotations
 * (`::error` for wire changes, `::warning` for source-level ones, `::notice` for safe ones).
 */
import type { Paint } from '../util/paint.js';
import { countChanges, type Change } from './change.js';

export const DIFF_FORMATS = ['text', 'json', 'github'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffReport {
  readonly oldFile: string;
  readonly newFile: string;
  /** Every change, info included; the formats leave info out unless `verbose`. */
  readonly changes: readonly Change[];
  readonly verbose: boolean;
  /** Whether source-level changes fail too (`--strict`). */
  readonly strict: boolean;
  /** The old spec came from git history (`REF:path`): not a file an annotation can point at. */
  readonly oldFromGit?: boolean;
}

export const isFailing = (c: Change, strict: boolean): boolean => c.severity === 'wire' || (strict && c.severity === 'source');

const shown = (r: DiffReport): Change[] => r.changes.filter((c) => r.verbose || c.severity !== 'info');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatDiffText(r: DiffReport, paint: Paint): string {
  const lines = shown(r).map((c) => {
    const sev = c.severity === 'wire' ? paint.red('wire') : c.severity === 'source' ? paint.yellow('source') : paint.dim('info');
    return `${paint.bold(`${c.file}:${c.line}:${c.column}:`)} ${sev} ${paint.dim(c.kind)} ${c.where}: ${c.message}`;
  });
  const n = countChanges(r.changes);
  const hidden = r.verbose ? '' : n.info > 0 ? ` (${plural(n.info, 'safe change')} hidden: --verbose shows them)` : '';
  const summary = `${plural(n.wire, 'breaking change')} (wire), ${plural(n.source, 'source-level change')}, ${plural(n.info, 'safe change')}${hidden}`;
  if (lines.length > 0) lines.push('');
  const failing = r.changes.some((c) => isFailing(c, r.strict));
  lines.push(failing ? summary : `${paint.green('✓')} no breaking changes from ${r.oldFile} to ${r.newFile}: ${summary}`);
  return lines.join('\n') + '\n';
}

export function formatDiffJson(r: DiffReport): string {
  const counts = countChanges(r.changes);
  return (
    JSON.stringify(
      { old: r.oldFile, new: r.newFile, breaking: r.changes.some((c) => isFailing(c, r.strict)), counts, changes: shown(r) },
      null,
      2,
    ) + '\n'
  );
}

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatDiffGithub(r: DiffReport): string {
  return shown(r)
    .map((c) => {
      const level = isFailing(c, r.strict) ? 'error' : c.severity === 'info' ? 'notice' : 'warning';
      const title = `title=${escapeProperty(`microgen diff: ${c.kind}`)}`;
      // A removed thing exists only in the old spec; from git history there is no file to annotate.
      if (r.oldFromGit && c.file === r.oldFile) {
        return `::${level} ${title}::${escapeData(`${c.where}: ${c.message} (${c.file}:${c.line})`)}\n`;
      }
      const props = [`file=${escapeProperty(c.file)}`, `line=${c.line}`, `col=${c.column}`, title];
      return `::${level} ${props.join(',')}::${escapeData(`${c.where}: ${c.message}`)}\n`;
    })
    .join('');
}

export function formatDiff(r: DiffReport, format: DiffFormat, paint: Paint): string {
  switch (format) {
    case 'json':
      return formatDiffJson(r);
    case 'github':
      return formatDiffGithub(r);
    default:
      return formatDiffText(r, paint);
  }
}
