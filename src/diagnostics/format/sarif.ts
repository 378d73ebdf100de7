/** SARIF 2.1.0, for GitHub code scanning and other viewers. One run, every rule described. */
import type { Diagnostic } from '../diagnostic.js';
import { RULES } from '../../checks/rules.js';

/**
 * `failure`: why the run stopped before it could lint (no spec, an unreadable file): recorded as
 * an unsuccessful invocation, so a code-scanning upload says the run failed rather than that the
 * spec is clean.
 */
export function formatSarif(diagnostics: readonly Diagnostic[], toolVersion: string, failure?: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'microgen',
            version: toolVersion,
            rules: RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        invocations: [
          failure === undefined
            ? { executionSuccessful: true }
            : { executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: failure } }] },
        ],
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
          level: d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file.split('\\').join('/') },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
