/**
 * The front half of every command: spec text → positioned diagnostics and, when the spec
 * is sound, the model. Stages stop at the first that fails (a model is never built from
 * data the schema rejected), so later stages can trust their input.
 */
import { readFileSync } from 'node:fs';
import { runChecks } from './checks/index.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { buildModel } from './model/build.js';
import type { SystemModel } from './model/types.js';
import { diagnosticAt } from './spec/locate.js';
import type * as Raw from './spec/raw.js';
import { acceptsSchema, validateSchema } from './spec/schema.js';
import { parseSpecBytes, type LoadResult, type SpecSource } from './spec/source.js';
import { mark } from './util/timings.js';

export interface LintResult {
  readonly diagnostics: Diagnostic[];
  readonly source?: SpecSource;
  /** Present when the spec passed the schema (it may still have semantic errors). */
  readonly model?: SystemModel;
}

export function lintBytes(file: string, bytes: Uint8Array, options: { full?: boolean } = {}): LintResult {
  const loaded = parseSpecBytes(file, bytes, options);
  mark('lint: read YAML');
  if (loaded.ok && loaded.source.fast) {
    // The fast YAML path only ever vouches for clean specs. Anything found is re-derived from
    // the Document API's reading (so diagnostics never depend on which reader ran), and is not
    // positioned here first: that would build the Document only to throw it away.
    const valid = acceptsSchema(loaded.source.data);
    mark('lint: schema');
    const model = valid ? buildModel(loaded.source.data as Raw.Spec) : undefined;
    mark('lint: model');
    const clean = model !== undefined && runChecks(model).length === 0;
    mark('lint: checks');
    if (clean) return { diagnostics: [], source: loaded.source, model };
    return positioned(parseSpecBytes(file, bytes, { full: true }));
  }
  return positioned(loaded);
}

/** Every stage with positioned diagnostics, stopping at the first that fails. */
function positioned(loaded: LoadResult): LintResult {
  if (!loaded.ok) return { diagnostics: sortDiagnostics(loaded.diagnostics), ...(loaded.source ? { source: loaded.source } : {}) };
  const source = loaded.source;
  const schemaErrors = validateSchema(source);
  if (schemaErrors.length > 0) return { diagnostics: sortDiagnostics(schemaErrors), source };
  const model = buildModel(source.data as Raw.Spec);
  const findings = runChecks(model);
  const diagnostics = findings.map((f) => diagnosticAt(source, f.at, f.severity, f.rule, f.message, f.anchor));
  return { diagnostics: sortDiagnostics(diagnostics), source, model };
}

export function lintText(file: string, text: string): LintResult {
  return lintBytes(file, new TextEncoder().encode(text));
}

/** Reads the file; an unreadable file is the caller's usage error (exit 2), so it throws. */
export function lintFile(file: string): LintResult {
  return lintBytes(file, readFileSync(file));
}

export const hasErrors = (r: LintResult): boolean => r.diagnostics.some((d) => d.severity === 'error');
