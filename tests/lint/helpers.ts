/** Shared bits of the lint tests: the repository root and a compact view of diagnostics. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { lintBytes, type LintResult } from '../../src/lint.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Lints a file of the repository under its repo-relative name (as `microgen lint` run from the root would). */
export function lintRepoFile(relative: string): LintResult {
  return lintBytes(relative, readFileSync(join(ROOT, relative)));
}

/** `line:column severity rule: message`, for readable failure output. */
export const show = (d: Diagnostic): string => `${d.line}:${d.column} ${d.severity} ${d.rule}: ${d.message}`;

/** A diagnostic expected at an exact place, with a fragment its message must contain. */
export interface Expected {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The matcher for an exact rule, severity and position, and a message containing `message`. */
export function at(rule: string, severity: 'error' | 'warning', e: Expected): Record<string, unknown> {
  return { rule, severity, line: e.line, column: e.column, message: expect.stringContaining(e.message) };
}
