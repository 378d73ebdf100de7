/** SPEC §4: the generated shop installs and `tsc -b` passes; a wrong handler return fails it. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSystem, generateSystem } from '../helpers/system.js';

describe('generated shop', () => {
  it('installs and builds with tsc -b', async () => {
    const dir = await generateSystem('examples/shop/microgen.yaml', 'shop-build');
    const build = buildSystem(dir);
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
  }, 600_000);

  it('fails the build when a handler returns an undeclared status', async () => {
    const dir = await generateSystem('examples/shop/microgen.yaml', 'shop-wrong');
    const file = join(dir, 'services/user/src/handlers/operations.ts');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace("throw new NotImplemented('getUser');", "return { status: 418, body: { error: 'teapot', message: 'no' } };");
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const build = buildSystem(dir);
    expect(build.code).not.toBe(0);
    expect(build.output).toMatch(/services\/user\/src\/handlers\/operations\.ts.*error TS2322/s);
  }, 600_000);
});
