/** SPEC §4: the generated shop installs and `tsc -b` passes; a wrong handler return fails it. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { buildSystem, generateSystem, ROOT } from '../helpers/system.js';

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

  it('fails the build when a handler is missing (TS2515) or outlived its operation (TS4113)', async () => {
    const dir = await generateSystem('examples/shop/microgen.yaml', 'shop-gap');
    const file = join(dir, 'services/user/src/handlers/operations.ts');
    const text = readFileSync(file, 'utf8');
    const withoutGetUser = text.replace(/\n {2}override async getUser[\s\S]*?\n {2}\}\n/, '\n');
    expect(withoutGetUser).not.toBe(text);
    writeFileSync(file, withoutGetUser);
    const missing = buildSystem(dir, ['services/user']);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/error TS2515: Non-abstract class 'Operations' does not implement inherited abstract member getUser/);

    // Now the spec drops createUser: the user's method stays, and tsc points at it.
    writeFileSync(file, text);
    const spec = join(dir, 'microgen.yaml');
    copyFileSync(join(ROOT, 'examples/shop/microgen.yaml'), spec);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/ {6}createUser:\n(?: {8}.*\n)+/, ''));
    const regen = await runCli(['generate', spec, '--out', dir, '--force']);
    expect(regen.code).toBe(0);
    expect(regen.stdout).toContain('createUser no longer in the spec');
    const stale = buildSystem(dir, ['services/user']);
    expect(stale.code).not.toBe(0);
    expect(stale.output).toMatch(/error TS4113: This member cannot have an 'override' modifier because it is not declared in the base class 'OperationHandlers'/);
  }, 600_000);
});
