/**
 * The program that ships: bin/microgen.js running the build in dist/, as a child process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/microgen.js');
const run = (args: string[], cwd: string): string => execFileSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });

describe('the built CLI', () => {
  it('imports the packages only some paths load: Graphviz for SVG, ts-morph for a stub', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-cli-'));
    expect(run(['graph', join(ROOT, 'examples/shop/microgen.yaml'), '--format', 'svg'], dir)).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*order[\s\S]*<\/svg>\s*$/);
    copyFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), join(dir, 'microgen.yaml'));
    run(['generate'], dir);
    const spec = readFileSync(join(dir, 'microgen.yaml'), 'utf8');
    const service = /^ {2}([a-z][a-z0-9-]*):$/m.exec(spec.slice(spec.indexOf('services:')))![1];
    const out = run(['add', 'operation', service, 'pingBuilt', '--http', 'GET /ping-built'], dir);
    expect(out).toMatch(/stub\s+services\/[^\n]*operations\.ts \(added pingBuilt\)/);
    expect(readFileSync(join(dir, `services/${service}/src/handlers/operations.ts`), 'utf8')).toMatch(/async pingBuilt\(/);
  });

  it('explains a spec the schema rejects as the sources do (the build precompiles the validator)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-cli-'));
    const spec = ['microgen: 1', 'name: Bad Name', 'servics: {}', 'services:', '  User:', '    port: "80"', '    database: postgress', '    operations:', '      get:', '        responses: { 200: Nope }', 'sagas:', '  s:', '    style: orchestra', ''];
    writeFileSync(join(dir, 'microgen.yaml'), spec.join('\n'));
    let built = '';
    try {
      run(['lint'], dir);
    } catch (err) {
      built = (err as { stdout: string }).stdout;
    }
    const fromSources = await runCli(['lint'], dir);
    expect(fromSources.code).toBe(1);
    expect(built).toBe(fromSources.stdout);
    expect(built).toMatch(/7 errors/);
  });
});

describe('precompiled templates', () => {
  /** A checkout of the built package: the real bin/, dist/ and templates/, mtimes kept. */
  function builtCheckout(): string {
    const pkg = mkdtempSync(join(tmpdir(), 'microgen-templates-'));
    for (const dir of ['bin', 'dist', 'templates', 'schema']) cpSync(join(ROOT, dir), join(pkg, dir), { recursive: true, preserveTimestamps: true });
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    mkdirSync(join(pkg, 'src'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    return pkg;
  }
  const generate = (pkg: string): string => {
    const out = mkdtempSync(join(tmpdir(), 'microgen-templates-out-'));
    execFileSync(process.execPath, [join(pkg, 'bin/microgen.js'), 'generate', join(ROOT, 'examples/minimal/microgen.yaml'), '--out', out], { stdio: 'pipe' });
    return out;
  };
  const runtimeOf = (out: string): string => {
    const service = readdirSync(join(out, 'services'))[0];
    return readFileSync(join(out, 'services', service, 'src/generated/runtime.ts'), 'utf8');
  };

  it('are not used once a template is edited after the build, whatever its size', () => {
    const pkg = builtCheckout();
    const template = join(pkg, 'templates/service/runtime.ts.hbs');
    const source = readFileSync(template, 'utf8');
    // Same length, other bytes: the size stamp holds, the mtime stamp and the hash do not.
    writeFileSync(template, source.replace('Small runtime', 'SMALL RUNTIME'));
    expect(statSync(template).size).toBe(Buffer.byteLength(source));
    expect(runtimeOf(generate(pkg))).toContain('SMALL RUNTIME');
    // Touched, not changed: the stamps differ, the hash does not, and the output is the golden one.
    writeFileSync(template, source);
    expect(runtimeOf(generate(pkg))).toBe(runtimeOf(generate(builtCheckout())));
  });

  it('are not used when a template is added after the build', () => {
    const pkg = builtCheckout();
    const template = join(pkg, 'templates/service/runtime.ts.hbs');
    writeFileSync(join(pkg, 'templates/service/extra.ts.hbs'), '// extra\n');
    writeFileSync(template, readFileSync(template, 'utf8').replace('Small runtime', 'SMALL RUNTIME'));
    expect(runtimeOf(generate(pkg))).toContain('SMALL RUNTIME');
  });
});

describe('the build’s Handlebars specifications (dist/render/templates.handlebars.cjs)', () => {
  it('render every file of the shop as the plain functions do', async () => {
    // From dist/, where templates.js finds the precompiled files beside it (the sources' tests compile instead).
    const dist = (rel: string) => import(join(ROOT, 'dist', rel));
    const { lintText } = (await dist('lint.js')) as typeof import('../../src/lint.js');
    const { planSystem } = (await dist('plan/index.js')) as typeof import('../../src/plan/index.js');
    const templates = (await dist('render/templates.js')) as typeof import('../../src/render/templates.js');
    const { model } = lintText('shop.yaml', readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8'));
    const renders: [string, object][] = [];
    templates.observeRenders(() => planSystem({ model: model!, specPath: 'microgen.yaml', version: '0.0.0-test' }), (name, data) => renders.push([name, data]));
    expect(renders.length).toBeGreaterThan(20);
    for (const [name, data] of renders) expect(templates.renderWithHandlebars(name, data), name).toBe(templates.render(name, data));
  });
});
