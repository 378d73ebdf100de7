/** `microgen init`: the spec from an example (only name and modeline changed), generation, refusals. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setPrompter } from '../../src/cli/prompts.js';
import { exampleText, INSTALLED_SCHEMA, schemaModelinePath } from '../../src/edit/init.js';
import { kebabCase } from '../../src/edit/rules.js';
import { SCHEMA_PATH } from '../../src/spec/schema.js';
import { lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';

afterEach(() => setPrompter());

const scratch = (): string => mkdtempSync(join(tmpdir(), 'microgen-init-'));
const modelineOf = (text: string): string => /^# yaml-language-server: \$schema=(\S+)$/m.exec(text.split('\n')[0])![1];

describe('microgen init', () => {
  it('writes the minimal example with the folder name and a working modeline, generates, prints next steps', async () => {
    const root = scratch();
    const r = await runCli(['init', 'My Shop_2'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = join(root, 'My Shop_2');
    const text = readFileSync(join(dir, 'microgen.yaml'), 'utf8');
    // Only the modeline and the name differ from the example.
    const example = exampleText('minimal').split('\n');
    const lines = text.split('\n');
    expect(lines).toHaveLength(example.length);
    const differing = lines.map((l, i) => (l === example[i] ? -1 : i)).filter((i) => i >= 0);
    expect(differing.map((i) => lines[i])).toEqual([expect.stringMatching(/^# yaml-language-server: \$schema=/), 'name: my-shop-2']);
    // The modeline leads to the shipped schema from the spec's folder.
    expect(resolve(dir, modelineOf(text))).toBe(SCHEMA_PATH);
    expect(lintText('microgen.yaml', text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(existsSync(join(dir, 'services/greeter/src/main.ts'))).toBe(true);
    expect(existsSync(join(dir, '.microgen/manifest.json'))).toBe(true);
    expect(r.stdout).toMatch(/Next steps:\n {2}cd 'My Shop_2'\n {2}npm install\n {2}npm run build\n {2}npm start --workspace services\/greeter {3}# serves on 127.0.0.1\n {2}microgen add service /);
    expect(r.stdout).not.toContain('microgen dev');
  });

  it('--name and --example shop', async () => {
    const root = scratch();
    const r = await runCli(['init', 'x', '--name', 'acme', '--example', 'shop'], root);
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, 'x/microgen.yaml'), 'utf8');
    expect(text).toMatch(/^name: acme$/m);
    expect(text).toMatch(/^ {2}order:$/m);
    expect(existsSync(join(root, 'x/services/order/src/main.ts'))).toBe(true);
  });

  it('in the current folder: no `cd` step', async () => {
    const dir = join(scratch(), 'here');
    mkdirSync(dir);
    const r = await runCli(['init', '--yes'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'microgen.yaml'), 'utf8')).toMatch(/^name: here$/m);
    expect(r.stdout).not.toMatch(/ cd /);
  });

  it('refuses a folder that is not empty (exit 2), writes nothing', async () => {
    const root = scratch();
    writeFileSync(join(root, 'notes.txt'), 'mine');
    const r = await runCli(['init', '.', '--name', 'acme'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\. is not empty \(notes\.txt\); .*--force/);
    expect(existsSync(join(root, 'microgen.yaml'))).toBe(false);
  });

  it('a folder with only .git is empty enough', async () => {
    const root = scratch();
    mkdirSync(join(root, 'repo/.git'), { recursive: true });
    expect((await runCli(['init', 'repo'], root)).code).toBe(0);
    expect(existsSync(join(root, 'repo/microgen.yaml'))).toBe(true);
  });

  it('--force writes into a folder that is not empty and leaves its files alone', async () => {
    const root = scratch();
    writeFileSync(join(root, 'notes.txt'), 'mine');
    const r = await runCli(['init', '.', '--name', 'acme', '--force'], root);
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, 'services/greeter/src/main.ts'))).toBe(true);
  });

  it('bad --name, an unusable folder name, a bad --example: exit 2, nothing written', async () => {
    const root = scratch();
    for (const [argv, message] of [
      [['init', 'a', '--name', 'Bad_Name'], /--name: system name "Bad_Name" is not valid: use kebab-case/],
      [['init', 'a', '--name', '../up'], /system name "\.\.\/up" is not valid/],
      [['init', '2024'], /cannot make a system name from the folder name "2024".*--name/],
      [['init', 'a', '--example', 'huge'], /--example must be one of minimal, shop/],
    ] as const) {
      const r = await runCli([...argv], root);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(existsSync(join(root, '2024'))).toBe(false);
  });

  it('on a terminal without --name it asks (default from the folder); --yes or --name skip the question', async () => {
    const root = scratch();
    const asked: Array<[string, unknown]> = [];
    setPrompter(async (generator, given, ctx) => {
      asked.push([generator, ctx.defaultName]);
      return { ...given, name: 'chosen', example: 'minimal' };
    });
    expect((await runCli(['init', 'Some Dir'], root, { isTTY: true })).code).toBe(0);
    expect(asked).toEqual([['init', 'some-dir']]);
    expect(readFileSync(join(root, 'Some Dir/microgen.yaml'), 'utf8')).toMatch(/^name: chosen$/m);
    expect((await runCli(['init', 'b', '--yes'], root, { isTTY: true })).code).toBe(0);
    expect((await runCli(['init', 'c', '--name', 'cee'], root, { isTTY: true })).code).toBe(0);
    expect(asked).toHaveLength(1);
  });
});

describe('the modeline path', () => {
  it('prefers the project’s own node_modules/microgen', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'node_modules/microgen/schema'), { recursive: true });
    writeFileSync(join(dir, INSTALLED_SCHEMA), '{}');
    expect(schemaModelinePath(dir)).toBe('./node_modules/microgen/schema/microgen.schema.json');
  });

  it('is relative when the schema is nearby, absolute when the way goes through the root, a file URL with spaces', () => {
    expect(schemaModelinePath('/home/me/proj', '/home/me/.npm/microgen/schema/microgen.schema.json')).toBe('../.npm/microgen/schema/microgen.schema.json');
    expect(schemaModelinePath('/home/me/proj', '/home/me/proj/vendor/microgen.schema.json')).toBe('./vendor/microgen.schema.json');
    expect(schemaModelinePath('/tmp/x/proj', '/usr/lib/node_modules/microgen/schema/microgen.schema.json')).toBe('/usr/lib/node_modules/microgen/schema/microgen.schema.json');
    expect(schemaModelinePath('/home/me/proj', '/home/me/My Tools/microgen/schema/microgen.schema.json')).toBe('file:///home/me/My%20Tools/microgen/schema/microgen.schema.json');
  });

  it('init in a project with microgen installed points at node_modules', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'node_modules/microgen/schema'), { recursive: true });
    writeFileSync(join(dir, INSTALLED_SCHEMA), '{}');
    expect((await runCli(['init', '.', '--name', 'acme', '--force'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'microgen.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/microgen/schema/microgen.schema.json');
  });
});

describe('kebabCase', () => {
  it.each([
    ['My Shop_2', 'my-shop-2'],
    ['orderService', 'order-service'],
    ['  --weird--  ', 'weird'],
    ['Café', 'cafe'],
    ['2024', '2024'],
  ])('%s → %s', (input, out) => expect(kebabCase(input)).toBe(out));
});
