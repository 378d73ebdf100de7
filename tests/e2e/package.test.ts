/**
 * What `npm install microgen` gets: the packed tarball (of the build CI made), installed into a
 * fresh folder, with no src/ beside it: the files list (bin/, dist/, templates/, schema/, examples/)
 * must hold everything the CLI needs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

describe('the installed package', () => {
  let app: string;
  const bin = () => join(app, 'node_modules', 'microgen', 'bin', 'microgen.js');
  const run = (...args: string[]) => execFileSync(process.execPath, [bin(), ...args], { cwd: app, encoding: 'utf8', stdio: 'pipe' });

  beforeAll(() => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` before the tests').toBe(true);
    app = mkdtempSync(join(tmpdir(), 'microgen-installed-'));
    // --ignore-scripts: pack the build the tests run against, without building again (prepack).
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', app], { cwd: ROOT, stdio: 'pipe' });
    const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `./${tarball}`], { cwd: app, stdio: 'pipe', timeout: 5 * 60_000 });
  }, 6 * 60_000);

  it('initialises, generates, checks and draws a system', () => {
    expect(run('init', 'demo', '--name', 'demo', '--yes')).toMatch(/wrote demo\/microgen\.yaml/);
    expect(existsSync(join(app, 'demo/services'))).toBe(true);
    expect(run('check', 'demo/microgen.yaml')).toMatch(/in sync/);
    expect(run('graph', 'demo/microgen.yaml', '--format', 'svg')).toMatch(/^<\?xml[\s\S]*<\/svg>\s*$/);
  });
});
