/**
 * GitLab's Code Quality report (a subset of the Code Climate issue format): a JSON array of
 * `{ description, check_name, fingerprint, severity, location: { path, lines: { begin, end } } }`.
 * GitLab tells issues apart by `fingerprint`: it hashes the file, the rule and the message (not
 * the line, so an issue keeps its identity when lines above it move), plus a count for the rare
 * identical ones. Severities follow eslint's GitLab formatter: error → major, warning → minor.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostic.js';

export function formatCodeClimate(diagnostics: readonly Diagnostic[]): string {
  const seen = new Map<string, number>();
  const issues = diagnostics.map((d) => {
    const key = `${d.file}\0${d.rule}\0${d.message}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    return {
      type: 'issue',
      check_name: d.rule,
      description: `${d.rule}: ${d.message}`,
      categories: ['Bug Risk'],
      severity: d.severity === 'error' ? 'major' : 'minor',
      fingerprint: createHash('md5').update(`${key}\0${nth}`).digest('hex'),
      location: { path: d.file, lines: { begin: d.line, end: d.endLine } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
