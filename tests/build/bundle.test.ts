/**
 * The built CLI runs from one bundle with V8's code cache (bin/load-cli.js, scripts/bundle.js,
 * scripts/code-cache.js). These tests pin what that must not change: the cache is accepted, the
 * paths that import packages at run time still work, and a bundle older than `tsc`'s output is
 * never used.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/microgen.js');
const run = (args: string[], cwd: string): string => execFileSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });

describe('the built CLI', () => {
  it('runs from the bundle, and V8 accepts the code cache the build recorded', async () => {
    expect(existsSync(join(ROOT, 'dist/microgen.cjs')), 'run `npm run build` before the tests').toBe(true);
    const { loadCli } = (await import(join(ROOT, 'bin/load-cli.js'))) as { loadCli: () => Promise<{ main: unknown; script?: { cachedDataRejected?: boolean } }> };
    const { main, script } = await loadCli();
    expect(script, 'the bundle is older than dist/cli/main.js: run `npm run build`').toBeDefined();
    expect(script!.cachedDataRejected).toBe(false);
    expect(typeof main).toBe('function');
  });

  it('imports packages left out of the bundle: Graphviz for SVG, ts-morph for a stub', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-bundle-'));
    expect(run(['graph', join(ROOT, 'examples/shop/microgen.yaml'), '--format', 'svg'], dir)).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*order[\s\S]*<\/svg>\s*$/);
    copyFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), join(dir, 'microgen.yaml'));
    run(['generate'], dir);
    const spec = readFileSync(join(dir, 'microgen.yaml'), 'utf8');
    const service = /^ {2}([a-z][a-z0-9-]*):$/m.exec(spec.slice(spec.indexOf('services:')))![1];
    const out = run(['add', 'operation', service, 'pingBundle', '--http', 'GET /ping-bundle'], dir);
    expect(out).toMatch(/stub\s+services\/[^\n]*operations\.ts \(added pingBundle\)/);
    expect(readFileSync(join(dir, `services/${service}/src/handlers/operations.ts`), 'utf8')).toMatch(/async pingBundle\(/);
  });
});

describe('bin/load-cli.js', () => {
  /** A package with the real loader and a dist/ whose two entry points say which one ran. */
  function fakePackage(bundleAge: 'newer' | 'older', layout: 'checkout' | 'installed' = 'checkout'): string {
    const pkg = mkdtempSync(join(tmpdir(), 'microgen-loader-'));
    if (layout === 'checkout') mkdirSync(join(pkg, 'src'));
    cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{ "type": "module" }\n');
    mkdirSync(join(pkg, 'dist/cli'), { recursive: true });
    writeFileSync(join(pkg, 'dist/cli/main.js'), "export const main = async () => { console.log('unbundled'); return 0; };\n");
    writeFileSync(join(pkg, 'dist/microgen.cjs'), "exports.main = async () => { console.log('bundled'); return 3; };\n");
    const [bundle, compiled] = bundleAge === 'newer' ? [2_000_000, 1_000_000] : [1_000_000, 2_000_000];
    utimesSync(join(pkg, 'dist/microgen.cjs'), bundle, bundle);
    utimesSync(join(pkg, 'dist/cli/main.js'), compiled, compiled);
    return pkg;
  }
  const runBin = (pkg: string, ...args: string[]): { out: string; code: number } => {
    try {
      return { out: execFileSync(process.execPath, [join(pkg, 'bin/microgen.js'), ...args], { encoding: 'utf8' }), code: 0 };
    } catch (err) {
      const e = err as { stdout: string; status: number };
      return { out: e.stdout, code: e.status };
    }
  };

  it('runs the bundle when it is at least as new as dist/cli/main.js, with its exit code', () => {
    expect(runBin(fakePackage('newer'))).toEqual({ out: 'bundled\n', code: 3 });
  });

  it('runs dist/cli/main.js when `tsc` wrote it after the bundle was built', () => {
    expect(runBin(fakePackage('older'))).toEqual({ out: 'unbundled\n', code: 0 });
  });

  it('in an installed package (no src/), runs the bundle whatever order unpacking gave the mtimes', () => {
    expect(runBin(fakePackage('older', 'installed'))).toEqual({ out: 'bundled\n', code: 3 });
  });

  it('runs unbundled with --debug, where Node applies tsc\'s source maps to stack traces', () => {
    expect(runBin(fakePackage('newer'), '--debug')).toEqual({ out: 'unbundled\n', code: 0 });
  });

  it('runs the bundle without a code cache, and ignores a cache that does not fit', () => {
    const pkg = fakePackage('newer');
    writeFileSync(join(pkg, 'dist/microgen.cache'), 'not a V8 code cache');
    expect(runBin(pkg)).toEqual({ out: 'bundled\n', code: 3 });
  });
});
