/**
 * The CLI as a new user gets it: README.md's first command makes a folder with the spec and the
 * system, README.md's way of putting `microgen` on PATH (`npm link`, into a throwaway npm prefix)
 * makes the generated system's `npm run check` work, and README.md's tarball line installs a working
 * `microgen` whatever the version is (tests/e2e/package.test.ts installs the packed tarball as a
 * dependency). No install of the generated system is needed: `check` reads files only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, workDir } from '../helpers/system.js';
import { VERSION } from '../../src/cli/version.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BUILD = 'npm ci && npm run build && ';
/** A PATH with node, npm and the shell, and no microgen. */
const BASE_PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);

/** The lines of README.md's `sh` code blocks, in order. */
function readmeCommands(): string[] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter((l) => l.trim() !== ''));
}

const npmRun = (script: string, cwd: string, path: string) =>
  spawnSync('npm', ['run', '--silent', script], { cwd, encoding: 'utf8', env: { ...process.env, PATH: path, NO_COLOR: '1' }, timeout: 120_000 });

describe('the CLI works from a generated system, installed as README.md says', () => {
  it('`npm run check` exits 0 in the system of the first command, 1 after a hand edit, 127 with one line without microgen', () => {
    // README.md's first command, minus the install and build of microgen itself (done before the tests).
    const first = readmeCommands()[0];
    expect(first.startsWith(`${BUILD}node bin/microgen.js `)).toBe(true);
    const work = workDir('readme');
    execFileSync('sh', ['-c', first.slice(BUILD.length).replace('node bin/microgen.js', `"${process.execPath}" "${join(ROOT, 'bin/microgen.js')}"`)], { cwd: work, stdio: 'pipe' });
    const [folder] = readdirSync(work);
    const system = join(work, folder);
    expect(existsSync(join(system, 'microgen.yaml')) && existsSync(join(system, '.microgen/manifest.json'))).toBe(true);
    const manifest = readFileSync(join(system, 'package.json'), 'utf8');
    expect(JSON.parse(manifest).devDependencies).not.toHaveProperty('microgen');

    // The README's way from a checkout, into an npm prefix of the test's own.
    expect(readmeCommands().filter((l) => l.startsWith(`${BUILD}npm link `))).toHaveLength(1);
    const prefix = mkdtempSync(join(tmpdir(), 'microgen-prefix-'));
    execFileSync('npm', ['link', '--no-audit', '--no-fund'], { cwd: ROOT, env: { ...process.env, npm_config_prefix: prefix }, stdio: 'pipe' });
    const withCli = [join(prefix, 'bin'), BASE_PATH].join(delimiter);

    const inSync = npmRun('check', system, withCli);
    expect(inSync.stdout).toMatch(/in sync with the spec/);
    expect(inSync.status).toBe(0);

    appendFileSync(join(system, 'services/user/src/generated/types.ts'), '// a hand edit\n');
    const edited = npmRun('check', system, withCli);
    expect(edited.stdout).toMatch(/services\/user\/src\/generated\/types\.ts: generated file edited by hand/);
    expect(edited.stdout).toContain('`microgen generate --force` replaces services/user/src/generated/types.ts and discards your hand edits in it');
    expect(edited.status).toBe(1);

    const missing = npmRun('check', system, BASE_PATH);
    expect(missing.status).toBe(127);
    expect(missing.stderr.trim().split('\n')).toEqual(['microgen is not on PATH: run `npm ci && npm run build && npm link` in a microgen checkout (see its README)']);
  });

  it("README's tarball line names no version, and installs a `microgen` that works from any folder", () => {
    const lines = readmeCommands().filter((l) => l.includes('npm pack'));
    expect(lines).toHaveLength(1);
    const command = lines[0].replace(/\s+#.*$/, '');
    expect(command).not.toMatch(/\d+\.\d+\.\d+/);
    // `npm ci` is done (the tests run on this checkout): run the rest in a copy of what npm packs, so the
    // tarball lands in the copy, with scripts off (prepack would build again) and an npm prefix of its own.
    expect(command.startsWith('npm ci && ')).toBe(true);
    const checkout = workDir('checkout');
    const packed: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
    for (const f of ['package.json', 'README.md', ...packed]) if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(checkout, f), { recursive: true });
    const prefix = mkdtempSync(join(tmpdir(), 'microgen-prefix-'));
    const env = { ...process.env, PATH: BASE_PATH, npm_config_prefix: prefix, npm_config_ignore_scripts: 'true', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    execFileSync('sh', ['-c', command.slice('npm ci && '.length)], { cwd: checkout, env, stdio: 'pipe', timeout: 5 * 60_000 });
    expect(readdirSync(checkout)).toContain(`microgen-${VERSION}.tgz`);

    const elsewhere = workDir('elsewhere');
    const run = (...args: string[]) => spawnSync(join(prefix, 'bin', 'microgen'), args, { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, PATH: BASE_PATH, NO_COLOR: '1' } });
    expect(run('--version').stdout.trim()).toBe(VERSION);
    const lint = run('lint', join(checkout, 'examples/minimal/microgen.yaml'));
    expect(lint.stdout).toMatch(/no problems/);
    expect(lint.status).toBe(0);
  }, 6 * 60_000);
});
