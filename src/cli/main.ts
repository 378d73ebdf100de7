/**
 * The `microgen` command line. Each command lives in `commands/` and registers itself;
 * this file only wires commander, exit codes and the no-stack-trace error policy.
 */
import { Command, CommanderError } from 'commander';
import { ExitError, UsageError } from './errors.js';
import { processIo, type Io } from './io.js';
import { VERSION } from './version.js';
import { mark } from '../util/timings.js';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/**
 * Commands in `--help` order. Each is imported only when needed: `microgen lint` should not
 * pay for loading handlebars, ts-morph or the Graphviz WebAssembly.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./commands/init.js')).registerInit,
  add: async () => (await import('./commands/add.js')).registerAdd,
  lint: async () => (await import('./commands/lint.js')).registerLint,
  diff: async () => (await import('./commands/diff.js')).registerDiff,
  graph: async () => (await import('./commands/graph.js')).registerGraph,
  export: async () => (await import('./commands/export.js')).registerExport,
  generate: async () => (await import('./commands/generate.js')).registerGenerate,
  check: async () => (await import('./commands/generate.js')).registerCheck,
  dev: async () => (await import('./commands/dev.js')).registerDev,
};

export async function buildProgram(io: Io, setExit: (code: number) => void, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('microgen')
    .description('Generate and keep in sync a TypeScript microservice system described in one YAML file.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ microgen lint examples/shop/microgen.yaml
  $ microgen lint --format github`,
    );
  // The command named on the line, or all of them (for --help, `help`, or a typo to suggest from).
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]())(program, io, setExit);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  mark('node and microgen loaded');
  let code = 0;
  const program = await buildProgram(io, (c) => (code = c), argv);
  mark('command line');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; commander already printed its message.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof ExitError) return err.exitCode;
    if (err instanceof UsageError) {
      io.err(`${io.errPaint.red('error')}: ${err.message}\n`);
      return 2;
    }
    io.err(`${io.errPaint.red('error')}: ${(err as Error).message ?? String(err)}\n`);
    if (argv.includes('--debug')) io.err(`${(err as Error).stack ?? ''}\n`);
    else io.err('(run with --debug for details)\n');
    return 1;
  }
}
