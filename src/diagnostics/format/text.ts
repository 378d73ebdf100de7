/** `file:line:col: severity rule: message`, one per line (SPEC §3), then a count. */
import { countBySeverity, type Diagnostic } from '../diagnostic.js';
import type { Paint } from '../../util/paint.js';

export function formatText(diagnostics: readonly Diagnostic[], paint: Paint): string {
  const lines = diagnostics.map((d) => {
    const where = paint.bold(`${d.file}:${d.line}:${d.column}:`);
    const sev = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
    return `${where} ${sev} ${paint.dim(d.rule)}: ${d.message}`;
  });
  const { errors, warnings } = countBySeverity(diagnostics);
  if (errors + warnings > 0) {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    lines.push('', `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
