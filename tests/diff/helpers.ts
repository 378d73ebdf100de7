/** Old/new spec pairs derived from the bundled examples by small, checked text edits. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../helpers/io.js';

export const SHOP = readFileSync('examples/shop/microgen.yaml', 'utf8');
export const MINIMAL = readFileSync('examples/minimal/microgen.yaml', 'utf8');

export type Edit = readonly [from: string, to: string];

/** Applies each edit once; an edit whose text is missing (or ambiguous) is a broken fixture. */
export function edit(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at < 0) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
    if (out.indexOf(from, at + 1) >= 0) throw new Error(`fixture edit: ${JSON.stringify(from)} is ambiguous`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

export interface JsonChange {
  kind: string;
  severity: 'wire' | 'source' | 'info';
  message: string;
  where: string;
  file: string;
  line: number;
  column: number;
}

export interface JsonReport {
  old: string;
  new: string;
  breaking: boolean;
  counts: { wire: number; source: number; info: number };
  changes: JsonChange[];
}

/** Writes old.yaml and new.yaml to a fresh folder and runs `microgen diff` there. */
export async function diffTexts(oldText: string, newText: string, extra: string[] = []): Promise<CliRun & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'microgen-diff-'));
  writeFileSync(join(dir, 'old.yaml'), oldText);
  writeFileSync(join(dir, 'new.yaml'), newText);
  return { ...(await runCli(['diff', 'old.yaml', 'new.yaml', ...extra], dir)), dir };
}

/** The JSON report (every change, info included) and the exit code. */
export async function diffJson(oldText: string, newText: string, extra: string[] = []): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await diffTexts(oldText, newText, ['--format', 'json', '--verbose', ...extra]);
  if (run.stdout === '') throw new Error(`diff printed nothing (exit ${run.code}): ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}
