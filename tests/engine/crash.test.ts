/**
 * All-or-nothing apply: a seam fails the apply after k file operations, for every k.
 * A soft failure (an exception) rolls back at once; a hard one (like a kill) leaves the
 * journal, and the next run's first step (`recover`) restores the old tree, whatever the spec
 * now says; planning alone reads only.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCrash, type FileOp } from '../../src/apply/journal.js';
import { applyPlan, planRun, recover, type EngineInput } from '../../src/engine.js';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';
import { readTree } from '../helpers/tree.js';

const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), 'utf8');
const withService = (spec: string, name: string) =>
  spec.replace('events:', `  ${name}:\n    operations:\n      ping:\n        http: GET /ping\n        responses: { 200: { ok: boolean } }\n\nevents:`);
// From OLD to NEW files are created (pong), updated (greeter), deleted (echo's generated
// files), and a stub is inserted into a user file (hello).
const OLD = withService(MINIMAL, 'echo');
const NEW = withService(MINIMAL.replace('      greet:', '      hello:'), 'pong');

let base: string;
/** OLD generated, then a user edit: where every scenario starts (made once, copied per k). */
let start: string;
let oldTree: Map<string, string>;
/** What generating NEW over `start` does, uninterrupted. */
let ops: FileOp[];
let newTree: Map<string, string>;

function input(dir: string): EngineInput {
  return { specPath: join(dir, 'microgen.yaml'), specDisplay: 'microgen.yaml', outDir: dir, generator: 'microgen test', version: '0.0.0' };
}

async function generate(dir: string, spec: string, seam?: { failAfter: number; mode: 'soft' | 'hard' }) {
  writeFileSync(join(dir, 'microgen.yaml'), spec);
  const result = await planRun(input(dir));
  if (!result.ok) throw new Error('lint failed');
  return applyPlan(result, seam);
}

const noSpec = (p: string) => p === 'microgen.yaml';

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'crash-'));
  start = mkdtempSync(join(base, 'start-'));
  await generate(start, OLD);
  writeFileSync(join(start, 'services/greeter/src/handlers/operations.ts'), readFileSync(join(start, 'services/greeter/src/handlers/operations.ts'), 'utf8') + '// user edit\n');
  oldTree = readTree(start, { skip: noSpec });
  const reference = mkdtempSync(join(base, 'ref-'));
  cpSync(start, reference, { recursive: true });
  ops = await generate(reference, NEW);
  newTree = readTree(reference, { skip: noSpec });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A copy of `start` (its tree checked to be the old one), then NEW generated with a crash after k operations. */
async function scenario(k: number, mode: 'soft' | 'hard') {
  const dir = mkdtempSync(join(base, `k${k}-`));
  cpSync(start, dir, { recursive: true });
  expect(readTree(dir, { skip: noSpec }), `k=${k}: the copy`).toEqual(oldTree);
  let crashed = false;
  try {
    await generate(dir, NEW, { failAfter: k, mode });
  } catch (err) {
    expect(err).toBeInstanceOf(SimulatedCrash);
    crashed = true;
  }
  return { dir, crashed };
}

describe('crash during apply', () => {
  it('the plan has enough operations to make the test meaningful', () => {
    expect(ops.length).toBeGreaterThan(10);
    expect(ops.some((o) => o.kind === 'delete')).toBe(true);
  });

  it('soft failure after k operations, for every k: the old tree stays, and a rerun produces the new one', async () => {
    for (let k = 0; k <= ops.length; k++) {
      const { dir, crashed } = await scenario(k, 'soft');
      expect(crashed, `k=${k}`).toBe(true);
      expect(readTree(dir, { skip: noSpec }), `k=${k}`).toEqual(oldTree);
      await generate(dir, NEW);
      expect(readTree(dir, { skip: noSpec }), `k=${k}`).toEqual(newTree);
    }
  });

  it('hard failure after k operations, for every k: recovery restores the old tree', async () => {
    for (let k = 0; k <= ops.length; k++) {
      const { dir, crashed } = await scenario(k, 'hard');
      expect(crashed).toBe(true);
      writeFileSync(join(dir, 'microgen.yaml'), OLD);
      expect(recover(dir), `k=${k}`).toBe('rolled-back');
      expect(readTree(dir, { skip: noSpec }), `k=${k}`).toEqual(oldTree);
    }
  });

  it('planning reads only: it leaves the journal of a hard failure for recovery', async () => {
    const { dir } = await scenario(3, 'hard');
    const halfWritten = readTree(dir);
    expect((await planRun(input(dir))).ok).toBe(true);
    expect(readTree(dir)).toEqual(halfWritten);
  });

  it.each(['generate', 'check'])('%s recovers first, even when the spec now has lint errors', async (command) => {
    const { dir } = await scenario(3, 'hard');
    writeFileSync(join(dir, 'microgen.yaml'), `${NEW}\nnot-a-key: true\n`);
    const run = await runCli([command, join(dir, 'microgen.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('note: an interrupted generation was rolled back; the previous files are restored');
    expect(run.stderr).toMatch(/error schema: `not-a-key` is not a property/);
    expect(readTree(dir, { skip: noSpec })).toEqual(oldTree);
  });
});
