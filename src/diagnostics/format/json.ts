/** `{ "diagnostics": [...], "errors": N, "warnings": N }` (SPEC §3). */
import { countBySeverity, type Diagnostic } from '../diagnostic.js';

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics, ...countBySeverity(diagnostics) }, null, 2) + '\n';
}
