/** SPEC text with comment terminators, backticks, `${`, quotes and newlines generates code that builds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSystem, generateSystem } from '../helpers/system.js';

describe('hostile free text in the spec', () => {
  it('generates code that compiles and keeps the text inert', async () => {
    const dir = await generateSystem('tests/fixtures/hostile/microgen.yaml', 'hostile');
    const build = buildSystem(dir);
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
    const operations = readFileSync(join(dir, 'services/svc/src/generated/operations.ts'), 'utf8');
    // The description is there, but as comment text whose terminator was neutralised.
    expect(operations).toContain("throw new Error('boom');");
    expect(operations).not.toMatch(/\*\/ throw new Error/);
  }, 600_000);
});
