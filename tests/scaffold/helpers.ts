/** Shared helpers of the scaffolding tests: line diffs, fixtures, untouched-file checks. */
import { cpSync, mkdtempSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffArrays } from 'diff';
import { expect } from 'vitest';
import { parseSpecText } from '../../src/spec/source.js';
import type { SpecSource } from '../../src/spec/source.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

export function sourceOf(text: string): SpecSource {
  const loaded = parseSpecText('microgen.yaml', text);
  if (!loaded.ok) throw new Error(`fixture does not parse: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return loaded.source;
}

/** Lines split on LF only, so a CR stays visible at the end of its line. */
const linesOf = (text: string): string[] => text.split('\n');

/** The removed and added lines between two texts (an LCS line diff). */
export function lineChanges(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffArrays(linesOf(before), linesOf(after))) {
    if (part.removed) removed.push(...part.value);
    if (part.added) added.push(...part.value);
  }
  return { removed, added };
}

/** `before` with `lines` inserted after the (unique) line `anchor`, in the file's line ending. */
export function insertedAfter(before: string, anchor: string, lines: string[]): string {
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const all = before.split(eol);
  const at = all.indexOf(anchor);
  if (at < 0 || all.indexOf(anchor, at + 1) >= 0) throw new Error(`anchor line not found once: ${anchor}`);
  return [...all.slice(0, at + 1), ...lines, ...all.slice(at + 1)].join(eol);
}

/** Asserts the edit only added exactly `lines`, at the place right after `anchor`. */
export function expectOnlyAdded(before: string, after: string, anchor: string, lines: string[]): void {
  const { removed, added } = lineChanges(before, after);
  expect(removed).toHaveLength(0);
  const eol = before.includes('\r\n') ? '\r' : '';
  expect([...added].sort()).toEqual(lines.map((l) => l + eol).sort());
  expect(after).toBe(insertedAfter(before, anchor, lines));
}

/** A temporary project folder holding `fixtureName` as microgen.yaml. */
export function projectWith(fixtureName: string): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'microgen-scaffold-'));
  const spec = join(dir, 'microgen.yaml');
  cpSync(join(FIXTURES, fixtureName), spec);
  return { dir, spec };
}

/** Records a file's bytes and (back-dated) mtime; `check()` asserts neither changed. */
export function untouched(path: string): { check(): void } {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(path, past, past);
  const bytes = readFileSync(path);
  const mtime = statSync(path).mtimeMs;
  return {
    check() {
      expect(readFileSync(path).equals(bytes)).toBe(true);
      expect(statSync(path).mtimeMs).toBe(mtime);
    },
  };
}
