/**
 * Fallbacks are user code: when the spec gains `fallback: true` for another callee, generate
 * inserts the new stub methods into the existing src/handlers/fallbacks.ts and keeps what the
 * user wrote; the generated base class and the clients follow the spec.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';

const SPEC = readFileSync(join(ROOT, 'tests/e2e/fixtures/runtime.yaml'), 'utf8');
const FALLBACKS = 'services/front/src/handlers/fallbacks.ts';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fallbacks-'));
  writeFileSync(join(dir, 'microgen.yaml'), SPEC);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds stubs for a new fallback next to the user code', async () => {
  expect((await runCli(['generate', join(dir, 'microgen.yaml')])).code).toBe(0);
  const file = join(dir, FALLBACKS);
  const mine = readFileSync(file, 'utf8').replace('    throw error;', "    return { status: 200, body: { id: request.params.id, name: 'mine' } };");
  writeFileSync(file, mine);

  const spec = SPEC.replace('        operations: [getThing, makeThing]\n', '        operations: [getThing, makeThing]\n        fallback: true\n');
  expect(spec).not.toBe(SPEC);
  writeFileSync(join(dir, 'microgen.yaml'), spec);
  const run = await runCli(['generate', join(dir, 'microgen.yaml')]);
  expect(run.code).toBe(0);

  const text = readFileSync(file, 'utf8');
  expect(text).toContain("name: 'mine'");
  expect(text).toContain('override async flakyGetThing(\n    request: Fb.FlakyGetThingCall,\n    error: Fb.CallError,\n  ): Promise<Fb.FlakyGetThingReply> {');
  expect(text).toContain('override async flakyMakeThing(\n    request: Fb.FlakyMakeThingCall,\n    error: Fb.CallError,\n  ): Promise<Fb.FlakyMakeThingReply> {');
  const base = readFileSync(join(dir, 'services/front/src/generated/fallbacks.ts'), 'utf8');
  expect(base).toMatch(/abstract flakyGetThing\(/);
  expect(readFileSync(join(dir, 'services/front/src/generated/clients/flaky.ts'), 'utf8')).toContain('this.fallbacks().flakyMakeThing(request, error)');
});
