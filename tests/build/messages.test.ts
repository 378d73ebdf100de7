/**
 * The messages that must lead a user to the fix, as the built CLI prints them (a child process,
 * not a terminal, NO_COLOR): each scenario's exit code, stdout and stderr are a golden under
 * tests/golden/messages/. The YAML mistakes all take the same way through `lint`: one of them
 * runs the built CLI, the others run the CLI's main() in this process (the same text; a child
 * process each cost more than the rest of the file). After an intended change of a message,
 * rewrite them with
 *
 *     UPDATE_GOLDEN=1 npx vitest run tests/build/messages.test.ts
 *
 * and review the diff. The temporary folder is written `<dir>`.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const BIN = join(ROOT, 'bin/microgen.js');
const GOLDEN = join(ROOT, 'tests/golden/messages');

const transcript = (dir: string, args: string[], run: { status: number | null; stdout: string; stderr: string }): string =>
  `$ microgen ${args.join(' ')}\nexit ${run.status}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`.split(dir).join('<dir>');

/** The built CLI in a child process. */
function microgen(dir: string, args: string[]): string {
  return transcript(dir, args, spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } }));
}

/** The CLI's main() in this process, printing as to a pipe. */
async function microgenInProcess(dir: string, args: string[]): Promise<string> {
  const run = await runCli(args, dir);
  return transcript(dir, args, { status: run.code, stdout: run.stdout, stderr: run.stderr });
}

let generated: string | undefined;

/** A folder holding the minimal example's spec; generated when `generate` is set (once, then copied). */
function project(generate: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'microgen-messages-'));
  if (generate) {
    generated ??= project(false);
    if (!existsSync(join(generated, '.microgen/manifest.json'))) microgen(generated, ['generate']);
    cpSync(generated, dir, { recursive: true });
  } else copyFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), join(dir, 'microgen.yaml'));
  return dir;
}

/** `path` as a file that was there before microgen: taken out of the manifest, with the user's content. */
function notWrittenByMicrogen(dir: string, path: string, content: string): void {
  const manifestPath = join(dir, '.microgen/manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, unknown> };
  delete manifest.files[path];
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(join(dir, '.microgen/cache.json'), { force: true });
  writeFileSync(join(dir, path), content);
}

const HAND_EDITED = 'services/greeter/src/generated/types.ts';

/** Sets up a folder, runs one command there, and returns what it printed. */
const SCENARIOS: Record<string, () => string | Promise<string>> = {
  'check-hand-edit': () => {
    const dir = project(true);
    appendFileSync(join(dir, HAND_EDITED), '// my fix\n');
    return microgen(dir, ['check']);
  },
  'generate-hand-edit': () => {
    const dir = project(true);
    appendFileSync(join(dir, HAND_EDITED), '// my fix\n');
    return microgen(dir, ['generate']);
  },
  'generate-pre-existing-readme': () => {
    const dir = project(false);
    writeFileSync(join(dir, 'README.md'), '# My notes\n');
    return microgen(dir, ['generate']);
  },
  'check-pre-existing-file': () => {
    const dir = project(true);
    notWrittenByMicrogen(dir, '.gitignore', 'node_modules/\n');
    return microgen(dir, ['check']);
  },
  'generate-two-hand-edits-and-two-pre-existing-files': () => {
    const dir = project(true);
    appendFileSync(join(dir, HAND_EDITED), '// my fix\n');
    appendFileSync(join(dir, 'services/greeter/src/generated/service.ts'), '// my fix\n');
    notWrittenByMicrogen(dir, '.gitignore', 'node_modules/\n');
    notWrittenByMicrogen(dir, 'README.md', '# My notes\n');
    return microgen(dir, ['generate']);
  },
  'check-system-elsewhere': () => microgen(project(false), ['check']),
  'check-system-elsewhere-spec-in-subfolder': () => {
    const dir = project(false);
    mkdirSync(join(dir, 'spec'));
    copyFileSync(join(dir, 'microgen.yaml'), join(dir, 'spec/microgen.yaml'));
    return microgen(dir, ['check', 'spec/microgen.yaml']);
  },
};

/** Typical indentation and quoting mistakes, each in a spec of its own, through `lint` (one is valid YAML: the schema sees it). */
const YAML: Record<string, string> = {
  'yaml-three-spaces-instead-of-four': 'microgen: 1\nname: shop\nservices:\n  user:\n   port: 8001\n    database: postgres\n',
  'yaml-key-one-space-too-deep': 'microgen: 1\nname: shop\nservices:\n  user:\n    port: 8001\n    operations:\n      getUser:\n         http: GET /users/{id}\n        response: User\n',
  'yaml-tab-indentation': 'microgen: 1\nname: shop\nservices:\n  user:\n\tport: 8001\n',
  'yaml-key-at-wrong-level': 'microgen: 1\nname: shop\nservices:\n  user:\n    port: 1\n    operations:\n      getUser:\n        http: GET /x\n     database: postgres\n',
  'yaml-key-under-a-value': 'microgen: 1\nname: shop\nservices:\n  user:\n    port: 8001\n      database: postgres\n',
  'yaml-key-at-the-level-of-the-services': 'microgen: 1\nname: shop\nservices:\n  user:\n    port: 8001\n  database: postgres\n',
  'yaml-unclosed-quote': 'microgen: 1\nname: "shop\ndescription: a shop\nservices:\n  user:\n    port: 8001\n',
  'yaml-missing-colon': 'microgen: 1\nname shop\nservices:\n  user:\n    port: 8001\n',
};
const BUILT_YAML = 'yaml-tab-indentation';
for (const [name, text] of Object.entries(YAML)) {
  SCENARIOS[name] = () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-messages-'));
    writeFileSync(join(dir, 'microgen.yaml'), text);
    return name === BUILT_YAML ? microgen(dir, ['lint']) : microgenInProcess(dir, ['lint']);
  };
}

describe('messages that lead to the fix (golden)', () => {
  it.each(Object.keys(SCENARIOS))('%s', async (name) => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` before the tests').toBe(true);
    const actual = await SCENARIOS[name]();
    const path = join(GOLDEN, `${name}.txt`);
    if (UPDATE) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(path, actual);
    }
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});
