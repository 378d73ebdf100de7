/** `microgen lint [SPEC] [--format text|json|github|sarif|codeclimate] [--strict]`. */
import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatCodeClimate } from '../../diagnostics/format/codeclimate.js';
import { formatGithub, formatGithubFailure } from '../../diagnostics/format/github.js';
import { formatJson } from '../../diagnostics/format/json.js';
import { formatSarif } from '../../diagnostics/format/sarif.js';
import { formatText } from '../../diagnostics/format/text.js';
import { lintBytes } from '../../lint.js';
import { failingAsJson, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { readSpecBytes, resolveSpec } from '../spec-file.js';
import { VERSION } from '../version.js';

export const FORMATS = ['text', 'json', 'github', 'sarif', 'codeclimate'] as const;
export type Format = (typeof FORMATS)[number];

export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: Format, io: Io): string {
  switch (format) {
    case 'json':
      return formatJson(diagnostics);
    case 'github':
      return formatGithub(diagnostics);
    case 'sarif':
      return formatSarif(diagnostics, VERSION);
    case 'codeclimate':
      return formatCodeClimate(diagnostics);
    default:
      return formatText(diagnostics, io.paint);
  }
}

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${value}"`);
  return value as Format;
}

/**
 * What a CI format prints when the run stops before it can lint (the error itself goes to stderr,
 * exit 2): a file a CI step then uploads or parses must still be one it understands.
 */
function failureReport(format: Format, message: string): string {
  switch (format) {
    case 'sarif':
      return formatSarif([], VERSION, message);
    case 'github':
      return formatGithubFailure(message);
    case 'codeclimate':
      return formatCodeClimate([]);
    default:
      return ''; // text: stderr says it; json: failingAsJson prints it
  }
}

export async function runLint(io: Io, specArg: string | undefined, opts: { format: Format; strict?: boolean }): Promise<number> {
  try {
    return await failingAsJson(io, opts.format === 'json', () => ({ diagnostics: [], errors: 0, warnings: 0 }), () => lintSpec(io, specArg, opts));
  } catch (err) {
    io.out(failureReport(opts.format, (err as Error).message ?? String(err)));
    throw err;
  }
}

function lintSpec(io: Io, specArg: string | undefined, opts: { format: Format; strict?: boolean }): number {
  const spec = resolveSpec(io.cwd, specArg);
  const bytes = readSpecBytes(spec);
  const result = lintBytes(spec.display, bytes);
  io.out(renderDiagnostics(result.diagnostics, opts.format, io));
  if (opts.format === 'text' && result.diagnostics.length === 0) io.out(`${io.paint.green('✓')} ${spec.display}: no problems\n`);
  const failing = result.diagnostics.some((d) => d.severity === 'error' || (opts.strict && d.severity === 'warning'));
  return failing ? 1 : 0;
}

export function registerLint(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('check the spec: JSON Schema, then cross-references, ports, routes, sagas')
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, parseFormat, 'text')
    .option('--strict', 'fail (exit 1) on warnings too')
    .addHelpText(
      'after',
      `
Examples:
  $ microgen lint
  $ microgen lint examples/shop/microgen.yaml --format github
  $ microgen lint --format sarif > microgen.sarif
  $ microgen lint --format codeclimate > gl-code-quality-report.json   # GitLab Code Quality

Exit codes: 0 clean or warnings only, 1 errors (or warnings with --strict), 2 usage or unreadable file.`,
    )
    .action(async (spec: string, opts: { format: Format; strict?: boolean }) => setExit(await runLint(io, spec, opts)));
}
