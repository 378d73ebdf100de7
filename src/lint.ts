/**
 * The front half of every command: spec text → positioned diagnostics and, when the spec
 * is sound, the model. Stages stop at the first that fails (a model is never built from
 * data the schema rejected), so later stages can trust their input.
 */
import { runChecks } from './checks/index.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { buildModel } from './model/build.js';
import type { SystemModel } from './model/types.js';
import { diagnosticAt } from './spec/locate.js';
import type * as Raw from './spec/raw.js';
import { validateSchema } from './spec/schema.js';
import { readSpecFile } from './spec/read.js';
import { parseSpecBytes, type SpecSource } from './spec/source.js';
import { mark } from './util/timings.js';

export interface LintResult {
  readonly diagnostics: Diagnostic[];
  readonly source?: SpecSource;
  /** Present when the spec passed the schema (it may still have semantic errors). */
  readonly model?: SystemModel;
}

export function lintBytes(file: string, bytes: Uint8Array): LintResult {
  const loaded = parseSpecBytes(file, bytes);
  mark('lint: read YAML');
  if (!loaded.ok) return { diagnostics: sortDiagnostics(loaded.diagnostics), ...(loaded.source ? { source: loaded.source } : {}) };
  const source = loaded.source;
  const schemaErrors = validateSchema(source);
  mark('lint: schema');
  if (schemaErrors.length > 0) return { diagnostics: sortDiagnostics(schemaErrors), source };
  const model = buildModel(source.data as Raw.Spec);
  mark('lint: model');
  const findings = runChecks(model);
  const diagnostics = findings.map((f) => diagnosticAt(source, f.at, f.severity, f.rule, f.message, f.anchor));
  mark('lint: checks');
  return { diagnostics: sortDiagnostics(diagnostics), source, model };
}

export function lintText(file: string, text: string): LintResult {
  return lintBytes(file, new TextEncoder().encode(text));
}

/** Reads the file; an unreadable file is the caller's usage error (exit 2), so it throws. */
export function lintFile(file: string): LintResult {
  return lintBytes(file, readSpecFile(file));
}

export const hasErrors = (r: LintResult): boolean => r.diagnostics.some((d) => d.severity === 'error');
