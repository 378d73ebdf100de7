/**
 * GitHub Actions workflow commands: `::error file=…,line=…,col=…::…`. Properties and
 * messages are escaped as the runner expects (%, CR, LF; and `,` `:` in properties).
 */
import type { Diagnostic } from '../diagnostic.js';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Why the run stopped before it could lint, as an error annotation of the job (it has no file). */
export const formatGithubFailure = (message: string): string => `::error title=microgen::${escapeData(message)}\n`;

export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`, `title=${escapeProperty(d.rule)}`];
      return `::${d.severity} ${props.join(',')}::${escapeData(`${d.rule}: ${d.message}`)}\n`;
    })
    .join('');
}
