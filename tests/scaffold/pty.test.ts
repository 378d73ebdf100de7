/**
 * The real prompts, on a real pseudo-terminal: `microgen add service` with no arguments runs
 * the plop generator through node-plop and inquirer, and the answers end up in the spec and
 * the generated system.
 *
 * The terminal comes from util-linux `script` (Debian/Ubuntu package `bsdutils`, installed
 * everywhere; no native node module). The CLI runs compiled: when dist/ is older than src/,
 * the sources are compiled into a private folder (not the shared dist/, which other test
 * files may be reading), laid out like the package so schema/, templates/, examples/ and
 * generators/ resolve.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWith } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** The bin to run: the repository's when dist/ is current, else a private fresh build. */
function cliBin(): string {
  const bundle = join(ROOT, 'dist/bundle/main.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(ROOT, 'src'))) return join(ROOT, 'bin/microgen.js');
  const pkg = mkdtempSync(join(tmpdir(), 'microgen-pty-build-'));
  for (const entry of ['package.json', 'node_modules', 'schema', 'templates', 'examples', 'generators', 'runtime']) symlinkSync(join(ROOT, entry), join(pkg, entry));
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(ROOT, 'bin/microgen.js'), join(pkg, 'bin/microgen.js'));
  // tsc still emits when files of other work in progress have type errors; only emitted output matters here.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(pkg, 'dist')], { encoding: 'utf8' });
  spawnSync(process.execPath, [join(ROOT, 'scripts/bundle.js'), join(pkg, 'dist')], { encoding: 'utf8' });
  if (!existsSync(join(pkg, 'dist/bundle/main.js'))) throw new Error('could not build the CLI for the terminal test');
  return join(pkg, 'bin/microgen.js');
}

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A process on a pseudo-terminal, with a way to wait for what it prints. */
function onTerminal(command: string, cwd: string): { child: ChildProcess; output: () => string; waitFor(re: RegExp, after?: number): Promise<number>; exit: Promise<number | null> } {
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, TERM: 'xterm', NO_COLOR: '1' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    child,
    output: () => plain(out),
    waitFor(re: RegExp, after = 0) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const text = plain(out);
          const m = re.exec(text.slice(after));
          if (m) {
            clearInterval(timer);
            resolve(after + m.index + m[0].length);
          } else if (Date.now() - started > 15_000) {
            clearInterval(timer);
            reject(new Error(`timed out waiting for ${re}; the terminal shows:\n${text}`));
          }
        }, 25);
      });
    },
    exit,
  };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!hasScript)('interactive add service on a pseudo-terminal', () => {
  let bin = '';
  beforeAll(() => {
    bin = cliBin();
  }, 120_000);
  afterAll(() => {
    // The private build (symlinks are removed, never followed).
    if (!bin.startsWith(ROOT)) rmSync(join(bin, '../..'), { recursive: true, force: true });
  });

  it('prompts for name (validated), port and database, then edits the spec and generates', async () => {
    const { dir, spec } = projectWith('odd.yaml');
    const term = onTerminal(`${shellQuote(process.execPath)} ${shellQuote(bin)} add service`, dir);
    try {
      let at = await term.waitFor(/service name \(kebab-case\)/);
      // A bad name is refused by the prompt's validation, with the schema's rule.
      term.child.stdin!.write('Bad_Name\r');
      at = await term.waitFor(/service name "Bad_Name" is not valid: use kebab-case/, at);
      term.child.stdin!.write('\x7f'.repeat('Bad_Name'.length) + 'billing\r');
      at = await term.waitFor(/port \(8003\)/, at);
      term.child.stdin!.write('\r');
      at = await term.waitFor(/database/, at);
      term.child.stdin!.write('\x1b[A'); // from the default `none` up to `redis`
      await new Promise((r) => setTimeout(r, 100));
      term.child.stdin!.write('\r');
      await term.waitFor(/✓ added service billing \(port 8003\) to microgen\.yaml/, at);
      expect(await term.exit).toBe(0);
    } finally {
      term.child.kill();
    }
    const text = readFileSync(spec, 'utf8');
    expect(text).toContain('\n    billing:\n        port: 8003\n        database: redis\n');
    expect(existsSync(join(dir, 'services/billing/src/main.ts'))).toBe(true);
  }, 60_000);

  it('off a terminal the same command never prompts: a usage error', () => {
    const { dir } = projectWith('odd.yaml');
    const r = spawnSync(process.execPath, [bin, 'add', 'service'], { cwd: dir, encoding: 'utf8', input: 'billing\n' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing the service NAME \(no terminal to ask on\); for example: microgen add service billing/);
  }, 30_000);
});
