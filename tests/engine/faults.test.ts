/**
 * Issue 11, point 7: faults and bad input around the write phase. Each bad input gets one clear
 * line (or a diagnostic with its position), the right exit code, and leaves the folder exactly as
 * it was (a snapshot of paths, bytes, modes and mtimes). The real-process kill test is
 * tests/e2e/kill.test.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_NAME } from '../../src/apply/fsx.js';
import { applyPlan, planRun, type EngineInput } from '../../src/engine.js';
import { MAX_SPEC_BYTES } from '../../src/spec/source.js';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';
import { readTree, snapshot } from '../helpers/tree.js';

const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), 'utf8');
const CHANGED = MINIMAL.replace('POST /greetings', 'PUT /greetings');
const WITH_FAREWELL = MINIMAL.replace(
  '    publishes: [greeting.sent]',
  '      farewell:\n        http: POST /farewells\n        responses: { 204: empty }\n    publishes: [greeting.sent]',
);
let dir: string;
let spec: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faults-'));
  spec = join(dir, 'microgen.yaml');
  writeFileSync(spec, MINIMAL);
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const generate = (...args: string[]) => runCli(['generate', spec, ...args]);
const check = (...args: string[]) => runCli(['check', spec, ...args]);
const file = (p: string) => join(dir, p);
const HANDLERS = 'services/greeter/src/handlers/operations.ts';
const TYPES = 'services/greeter/src/generated/types.ts';
/** Changes from MINIMAL to CHANGED. */
const OPERATIONS = 'services/greeter/src/generated/operations.ts';

/** Every `*.microgen-tmp-<pid>` file under `root`. */
function temps(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => TEMP_NAME.test(p));
}

const oneLine = (text: string) => expect(text.trimEnd().split('\n')).toHaveLength(1);

describe('temp files', () => {
  const input = (): EngineInput => ({ specPath: spec, specDisplay: 'microgen.yaml', outDir: dir, generator: 'microgen test', version: '0.0.0' });

  it('the journal records every temp file before it exists; recovery removes them and restores the old tree', async () => {
    expect((await generate()).code).toBe(0);
    const old = readTree(dir, { skip: (p) => p === 'microgen.yaml' });
    writeFileSync(spec, CHANGED);
    const plan = await planRun(input());
    if (!plan.ok) throw new Error('lint failed');
    expect(() => applyPlan(plan, { failAfter: 2, mode: 'hard' })).toThrow(/simulated crash/);
    const journal = JSON.parse(readFileSync(file('.microgen/journal/journal.json'), 'utf8')) as {
      entries: { path: string; backup: number | null; temp?: string }[];
      manifestTemp: string;
    };
    const rewritten = journal.entries.filter((e) => e.backup !== null);
    expect(rewritten.length).toBeGreaterThan(3);
    for (const e of rewritten) expect(e.temp).toMatch(new RegExp(`^${e.path.replace(/[.]/g, '\\.')}\\.microgen-tmp-${process.pid}$`));
    // A kill between writing a temp file and renaming it leaves the temp behind: here, all of them.
    for (const temp of [...rewritten.map((e) => e.temp!), journal.manifestTemp]) writeFileSync(file(temp), 'half');
    const run = await check();
    expect(run.stderr).toContain('an interrupted generation was rolled back');
    expect(temps(dir)).toEqual([]);
    expect(readTree(dir, { skip: (p) => p === 'microgen.yaml' })).toEqual(old);
  });

  it('check reports a temp file no journal knows; generate removes it', async () => {
    expect((await generate()).code).toBe(0);
    writeFileSync(file(`${TYPES}.microgen-tmp-99999`), 'left over');
    // The no-op shortcut trusts the last run (which leaves none); a full run looks.
    rmSync(file('.microgen/cache.json'));
    const run = await check();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`stray ${TYPES}.microgen-tmp-99999: a temp file left by an interrupted microgen run`);
    expect(JSON.parse((await check('--json')).stdout)).toEqual({ inSync: false, stale: [{ path: `${TYPES}.microgen-tmp-99999`, kind: 'stray' }] });
    const gen = await generate();
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain(`delete  ${TYPES}.microgen-tmp-99999`);
    expect(temps(dir)).toEqual([]);
    expect((await check()).code).toBe(0);
  });
});

describe('the lock', () => {
  it('a second generate while another one holds the lock says so in one line, exits 1, writes nothing', async () => {
    expect((await generate()).code).toBe(0);
    writeFileSync(spec, CHANGED);
    const other = spawn('sleep', ['30']);
    children.push(other);
    writeFileSync(file('.microgen/lock'), `${other.pid} generate\n`);
    const before = snapshot(dir);
    for (const run of [await generate(), await check()]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: another microgen generate \\(pid ${other.pid}\\) is writing ${dir}; nothing was (written|checked)\\n$`));
    }
    const [generated, checked] = [await generate('--json'), await check('--json')];
    expect([generated.code, checked.code]).toEqual([1, 1]);
    expect(JSON.parse(generated.stdout)).toEqual({ actions: [], renamed: [], hints: [], error: `another microgen generate (pid ${other.pid}) is writing ${dir}; nothing was written` });
    expect(JSON.parse(checked.stdout)).toEqual({ inSync: false, stale: [], error: `another microgen generate (pid ${other.pid}) is writing ${dir}; nothing was checked` });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a lock left by a killed run is taken over, and released at the end', async () => {
    expect((await generate()).code).toBe(0);
    const dead = spawnSync('true').pid;
    writeFileSync(file('.microgen/lock'), `${dead} generate\n`);
    writeFileSync(spec, CHANGED);
    const run = await generate();
    expect(run.code).toBe(0);
    expect(existsSync(file('.microgen/lock'))).toBe(false);
  });

  it('a run that fails leaves neither the lock nor a folder it made for it', async () => {
    const out = join(dir, 'fresh');
    writeFileSync(spec, `${MINIMAL}\nnot-a-key: true\n`);
    expect((await generate('--out', out)).code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a user file that does not parse', () => {
  it('is refused with its syntax error and position; nothing is written', async () => {
    expect((await generate()).code).toBe(0);
    const text = readFileSync(file(HANDLERS), 'utf8');
    // An unclosed method: the class's closing brace now closes the method.
    const broken = text.replace(/(\n {2}override async greet\([^\n]*\{)/, '\n  helper() {\n    return 1;\n$1');
    expect(broken).not.toBe(text);
    writeFileSync(file(HANDLERS), broken);
    writeFileSync(spec, WITH_FAREWELL);
    const before = snapshot(dir);
    const run = await generate();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${HANDLERS}:11:3 error syntax: \\S.*\\n`));
    expect(run.stderr).toContain('nothing was written');
    const json = await generate('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatch(new RegExp(`^${HANDLERS}:11:3 error syntax: .*; nothing was written: fix the syntax error in your file first`, 's'));
    expect(snapshot(dir)).toEqual(before);
    expect((await check()).stderr).toMatch(new RegExp(`^${HANDLERS}:\\d+:\\d+ error syntax:`));
  });
});

describe('reading the spec', () => {
  it('stops at the size limit on an endless device, with one line and exit 2', async () => {
    const run = await runCli(['lint', '/dev/urandom']);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toBe(`error: cannot read /dev/urandom: it goes on past ${MAX_SPEC_BYTES} bytes (reading stopped there); specs are limited to ${MAX_SPEC_BYTES} bytes\n`);
  });

  it('stops at the size limit on a FIFO fed forever', async () => {
    const fifo = join(dir, 'spec.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `yes 'a: b' > '${fifo}'`]);
    children.push(writer);
    const run = await runCli(['lint', fifo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/it goes on past \d+ bytes \(reading stopped there\)/);
  });

  it('names the size of a regular file over the limit; generate writes nothing', async () => {
    writeFileSync(spec, Buffer.alloc(MAX_SPEC_BYTES + 10, 0x20));
    const out = join(dir, 'out');
    const run = await generate('--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: cannot read ${spec}: it is ${MAX_SPEC_BYTES + 10} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes\n`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the output folder', () => {
  it('--out / is refused in one line', async () => {
    const run = await generate('--out', '/');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: refusing to write a system into /, the filesystem root; pass --out a folder of its own\n');
  });

  it('--out <a file> says so in one line, not "rolled back"', async () => {
    writeFileSync(file('plain'), 'x');
    const before = snapshot(dir);
    const run = await runCli(['generate', spec, '--out', 'plain'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --out plain is a file, not a folder\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a folder where a file is planned is named', async () => {
    mkdirSync(file(TYPES), { recursive: true });
    const before = snapshot(dir);
    const run = await generate();
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${TYPES} is a folder, but microgen writes a file there; move the folder away\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a file where a folder is planned is named', async () => {
    mkdirSync(file('services/greeter'), { recursive: true });
    writeFileSync(file('services/greeter/src'), 'x');
    const before = snapshot(dir);
    const run = await generate();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: services/greeter/src/\\S+ needs a folder where the file ${file('services/greeter/src')} is; move that file away\\n$`));
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('rewrites', () => {
  it('keep the mode of a rewritten file, generated or the user’s', async () => {
    expect((await generate()).code).toBe(0);
    chmodSync(file(OPERATIONS), 0o600);
    chmodSync(file(HANDLERS), 0o640);
    writeFileSync(spec, WITH_FAREWELL.replace('POST /greetings', 'PUT /greetings'));
    const before = readTree(dir);
    expect((await generate()).code).toBe(0);
    const after = readTree(dir);
    expect(after.get(OPERATIONS)).not.toBe(before.get(OPERATIONS));
    expect(after.get(HANDLERS)).toContain('farewell');
    expect(statSync(file(OPERATIONS)).mode & 0o777).toBe(0o600);
    expect(statSync(file(HANDLERS)).mode & 0o777).toBe(0o640);
  });

  it('write a file with other hard links in place, so every name sees the new content', async () => {
    expect((await generate()).code).toBe(0);
    const other = join(dir, 'types-link.ts');
    linkSync(file(OPERATIONS), other);
    writeFileSync(spec, CHANGED);
    expect((await generate()).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe(readFileSync(file(OPERATIONS), 'utf8'));
    expect(readFileSync(other, 'utf8')).toContain('PUT /greetings');
    expect(statSync(file(OPERATIONS)).nlink).toBe(2);
  });

  it('do not touch a file whose content stays the same: its mtime is kept', async () => {
    expect((await generate()).code).toBe(0);
    const before = readTree(dir);
    const times = new Map([...before.keys()].map((p) => [p, statSync(file(p)).mtimeMs]));
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(spec, CHANGED);
    expect((await generate()).code).toBe(0);
    const after = readTree(dir);
    const same = [...before.keys()].filter((p) => after.get(p) === before.get(p) && p !== 'microgen.yaml');
    const changed = [...before.keys()].filter((p) => after.has(p) && after.get(p) !== before.get(p));
    expect(changed.length).toBeGreaterThan(0);
    expect(same.length).toBeGreaterThan(changed.length);
    for (const p of same) expect(statSync(file(p)).mtimeMs, p).toBe(times.get(p));
  });
});
