/** Generating through the engine API (not the CLI), for property tests that run many generations. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { changesDisk } from '../../src/apply/reconcile.js';
import { applyPlan, planRun, type EngineInput } from '../../src/engine.js';

/** The engine's input for `<dir>/microgen.yaml` generated into `dir`. */
export const engineInput = (dir: string): EngineInput => ({ specPath: join(dir, 'microgen.yaml'), specDisplay: 'microgen.yaml', outDir: dir, generator: 'microgen test', version: '0.0.0' });

/** `generate` in `dir`; a lint error fails the test. */
export async function generateIn(dir: string): Promise<void> {
  const r = await planRun(engineInput(dir));
  if (!r.ok) throw new Error(`lint failed: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  applyPlan(r);
}

/** Another full run would change nothing: `check` finds nothing stale and the manifest is settled. */
export async function expectSettled(dir: string): Promise<void> {
  const again = await planRun(engineInput(dir));
  if (!again.ok) throw new Error('lint failed on rerun');
  expect(again.actions.filter((a) => changesDisk(a) || a.kind === 'conflict').map((a) => `${a.kind} ${a.path}`)).toEqual([]);
  expect(again.manifestChanged).toBe(false);
}
