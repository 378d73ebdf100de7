/**
 * The `microgen` command line. Each command lives in `commands/` and registers itself;
 * this file only wires commander, exit codes and the no-stack-trace error policy.
 */
import { Command, CommanderError } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerLint } from './commands/lint.js';
import { registerDiff } from './commands/diff.js';
import { registerExport } from './commands/export.js';
import { registerGraph } from './commands/graph.js';
import { ExitError, UsageError } from './errors.js';
import { processIo, type Io } from './io.js';
import { VERSION } from './version.js';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
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
  registerLint(program, io, setExit);
  registerDiff(program, io, setExit);
  registerGraph(program, io, setExit);
  registerExport(program, io, setExit);
  registerGenerate(program, io, setExit);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
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
