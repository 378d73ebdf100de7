/**
 * `microgen init [DIR] [--name N] [--example minimal|shop] [--yes] [--force]`: start a project
 * from a shipped example (src/edit/init.ts), generate it, and say what to do next.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { ensureDir } from '../../apply/fsx.js';
import { basename, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXAMPLES, exampleText, initSpecText, schemaModelinePath, type ExampleName } from '../../edit/init.js';
import { checkName, kebabCase } from '../../edit/rules.js';
import { writeFileAtomic } from '../../edit/write.js';
import { UsageError } from '../errors.js';
import { shellWord, type Io } from '../io.js';
import { ask } from '../prompts.js';
import { runGenerate } from './generate.js';

export interface InitOptions {
  name?: string;
  example?: string;
  yes?: boolean;
  force?: boolean;
  /** `--no-generate` sets it to false. */
  generate?: boolean;
}

/** What is in `dir` besides a `.git` folder (a fresh `git init` is still empty enough). */
function contentsOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
  return readdirSync(dir).filter((e) => e !== '.git');
}

export async function runInit(io: Io, dirArg: string | undefined, opts: InitOptions): Promise<number> {
  const dir = resolve(io.cwd, dirArg ?? '.');
  const shown = relative(io.cwd, dir) || '.';
  if (opts.example !== undefined && !(EXAMPLES as readonly string[]).includes(opts.example)) {
    throw new UsageError(`--example must be one of ${EXAMPLES.join(', ')}, not "${opts.example}"`);
  }
  if (opts.name !== undefined) {
    const problem = checkName('system', opts.name);
    if (problem) throw new UsageError(`--name: ${problem}`);
  }
  const present = contentsOf(dir);
  if (present.length && !opts.force) {
    const list = present.slice(0, 3).join(', ') + (present.length > 3 ? ', …' : '');
    throw new UsageError(`${shown} is not empty (${list}); run init in an empty folder, or pass --force to write microgen.yaml there anyway`);
  }

  const derived = kebabCase(basename(dir));
  const derivedOk = checkName('system', derived) === undefined;
  let name = opts.name;
  let example = (opts.example ?? undefined) as ExampleName | undefined;
  if (name === undefined && io.isTTY && !opts.yes) {
    const answers = await ask('init', { example }, { services: [], events: [], operations: {}, routes: [], gatewayAuth: false, defaultName: derivedOk ? derived : undefined });
    name = String(answers.name ?? '').trim();
    example = (answers.example as ExampleName | undefined) ?? example;
    const problem = checkName('system', name);
    if (problem) throw new UsageError(problem);
  }
  if (name === undefined) {
    if (!derivedOk) {
      throw new UsageError(`cannot make a system name from the folder name "${basename(dir)}" ("${derived}" is not kebab-case); pass one, e.g. --name my-system`);
    }
    name = derived;
  }
  example ??= 'minimal';

  const specPath = join(dir, 'microgen.yaml');
  const text = initSpecText(exampleText(example), { name, schemaPath: schemaModelinePath(dir) });
  ensureDir(dir);
  writeFileAtomic(specPath, text);
  io.out(`${io.paint.green('✓')} wrote ${join(shown, 'microgen.yaml')} (system ${name}, from the ${example} example)\n`);
  if (opts.generate === false) return 0;
  const code = await runGenerate(io, relative(io.cwd, specPath), {});
  if (code !== 0) return code;
  const firstService = example === 'shop' ? 'user' : 'greeter';
  const steps = [
    ...(shown === '.' ? [] : [`cd ${shellWord(shown)}`]),
    'npm install',
    'npm run build',
    `npm start --workspace services/${firstService}   # serves on 127.0.0.1`,
    'microgen add service billing --db postgres   # then edit microgen.yaml and run `microgen generate`',
  ];
  io.out(`\nNext steps:\n${steps.map((s) => `  ${s}`).join('\n')}\n`);
  return 0;
}

export function registerInit(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('start a project: write microgen.yaml from an example, generate it, print next steps')
    .argument('[dir]', 'project folder (created when missing)', '.')
    .option('--name <name>', "system name (kebab-case; default: the folder's name)")
    .option('--example <example>', `example to start from: ${EXAMPLES.join(', ')} (default minimal)`)
    .option('-y, --yes', 'ask nothing; use the defaults')
    .option('--force', 'write into a folder that is not empty (its files stay; an existing microgen.yaml is replaced)')
    .option('--no-generate', 'only write microgen.yaml')
    .addHelpText(
      'after',
      `
Examples:
  $ microgen init my-shop
  $ microgen init . --name shop --example shop
  $ microgen init services --yes --force

The spec starts with a yaml-language-server modeline, so editors with the YAML extension
complete and check it against the schema. On a terminal, init asks for the name unless
--name or --yes is given.

Exit codes: 0 done, 1 generation failed, 2 folder not empty or bad arguments.`,
    )
    .action(async (dir: string, o: InitOptions) => setExit(await runInit(io, dir, o)));
}
