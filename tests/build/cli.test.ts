/**
 * The program that ships: bin/microgen.js running the build in dist/, as a child process.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** A copy of the built package (bin/, dist/, templates/, schema/, the built runtime), to edit after its build. */
function builtCopy(): string {
  const pkg = mkdtempSync(join(tmpdir(), 'microgen-built-'));
  for (const dir of ['bin', 'dist', 'templates', 'schema', 'runtime/dist']) cpSync(join(ROOT, dir), join(pkg, dir), { recursive: true });
  copyFileSync(join(ROOT, 'runtime/package.json'), join(pkg, 'runtime/package.json'));
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  return pkg;
}

describe('precompiled templates (dist/render/templates.precompiled.cjs)', () => {
  it('are not used once a template is edited after the build', () => {
    const pkg = builtCopy();
    expect(existsSync(join(pkg, 'dist/render/templates.precompiled.cjs')), 'run `npm run build` before the tests').toBe(true);
    appendFileSync(join(pkg, 'templates/workspace/gitignore.hbs'), '# edited after the build\n');
    const out = mkdtempSync(join(tmpdir(), 'microgen-templates-out-'));
    execFileSync(process.execPath, [join(pkg, 'bin/microgen.js'), 'generate', join(ROOT, 'examples/minimal/microgen.yaml'), '--out', out], { stdio: 'pipe' });
    expect(readFileSync(join(out, '.gitignore'), 'utf8')).toMatch(/# edited after the build\n$/);
  });
});

describe('the precompiled schema validator (dist/spec/schema-validator.cjs)', () => {
  it('is not used once the schema is edited after the build', () => {
    const pkg = builtCopy();
    expect(existsSync(join(pkg, 'dist/spec/schema-validator.cjs')), 'run `npm run build` before the tests').toBe(true);
    const spec = join(pkg, 'spec.yaml');
    writeFileSync(spec, 'microgen: 1\nname: plain\n');
    expect(execFileSync(process.execPath, [join(pkg, 'bin/microgen.js'), 'lint', spec], { encoding: 'utf8' })).toMatch(/no problems/);
    const schemaPath = join(pkg, 'schema/microgen.schema.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { required: string[] };
    schema.required.push('description');
    writeFileSync(schemaPath, JSON.stringify(schema));
    let stdout = '';
    try {
      execFileSync(process.execPath, [join(pkg, 'bin/microgen.js'), 'lint', spec], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stdout = (err as { stdout: string }).stdout;
    }
    expect(stdout).toMatch(/description/);
  });
});
