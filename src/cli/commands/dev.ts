/**
 * `microgen dev [SPEC]`: generate, install what is missing, build, and run the whole system on
 * this machine with no Docker and no servers to install (src/dev/supervisor.ts); regenerate,
 * rebuild and restart on changes until Ctrl-C.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { lintFile } from '../../lint.js';
import type { SystemModel } from '../../model/types.js';
import { build, install, missingDependencies } from '../../dev/build.js';
import { DEV_DATA_DIR, Supervisor, type PartSummary } from '../../dev/supervisor.js';
import { GATEWAY_PACKAGE_DIR } from '../../plan/workspaces.js';
import type { Io } from '../io.js';
import { resolveSpec } from '../spec-file.js';
import { runGenerate } from './generate.js';

interface DevOptions {
  out?: string;
  watch: boolean;
}

/** Generates quietly: only the last line (`✓ shop: 3 updated`) and whatever went wrong. */
async function generateQuietly(io: Io, spec: string, outDir: string): Promise<SystemModel | undefined> {
  let said = '';
  const code = await runGenerate({ ...io, out: (text) => (said += text) }, spec, { out: outDir });
  if (code !== 0) {
    io.err(said);
    return undefined;
  }
  io.out(said.trimEnd().split('\n').at(-1) + '\n');
  return lintFile(spec).model;
}

async function buildQuietly(io: Io, outDir: string): Promise<boolean> {
  const missing = missingDependencies(outDir);
  if (missing.length > 0) {
    io.out(`installing ${missing.length} missing package${missing.length === 1 ? '' : 's'} (npm install)…\n`);
    const installed = await install(outDir);
    if (installed.code !== 0) {
      io.err(`${installed.output.trimEnd()}\n${io.errPaint.red('error')}: npm install failed in ${outDir}\n`);
      return false;
    }
  }
  const built = await build(outDir);
  if (built.code !== 0) {
    io.err(`${built.output.trimEnd()}\n${io.errPaint.red('error')}: the system does not build (tsc -b); fix the errors above\n`);
    return false;
  }
  return true;
}

/** The variable that points a service's resource elsewhere: `ORDER_DATABASE_URL`. */
const variableOf = (part: string, resource: string): string => `${part.toUpperCase().replace(/-/g, '_')}_${resource === 'database' ? 'DATABASE_URL' : `${resource.toUpperCase()}_URL`}`;

/**
 * One summary: the gateway, then each service with what backs its database (and what is not
 * reachable, with the variable that fixes it), and the event bus once. The gateway's own checks
 * are the services below it.
 */
function printSummary(io: Io, model: SystemModel, parts: readonly PartSummary[] | undefined, seconds: number): void {
  const p = io.paint;
  const lines = [`${p.green('✓')} ${p.bold(model.name)} is running (ready in ${seconds.toFixed(1)} s). Ctrl-C stops it.`];
  const shown = parts ?? model.services.map((s) => ({ name: s.name, url: `http://127.0.0.1:${s.port}`, resources: [] }));
  const width = Math.max(...shown.map((part) => part.name.length)) + 2;
  let bus: string | undefined;
  for (const part of shown) {
    const own = part.name === GATEWAY_PACKAGE_DIR ? [] : part.resources;
    bus ??= own.find((r) => r.name === 'broker')?.what;
    const backing = own
      .filter((r) => r.name !== 'broker')
      .map((r) => `${r.what}${r.up ? '' : p.yellow(` — not reachable: start it, or set ${variableOf(part.name, r.name)}`)}`);
    lines.push(`  ${part.name.padEnd(width)}${p.cyan(part.url)}${backing.length ? `  ${p.dim(backing.join(', '))}` : ''}`);
  }
  if (bus) lines.push(`  ${'events'.padEnd(width)}${p.dim(bus)}`);
  io.out(`${lines.join('\n')}\n`);
}

export async function runDev(io: Io, specArg: string | undefined, opts: DevOptions): Promise<number> {
  const spec = resolveSpec(io.cwd, specArg);
  const outDir = resolve(io.cwd, opts.out ?? dirname(spec.path));
  const started = Date.now();
  const model = await generateQuietly(io, spec.path, outDir);
  if (!model) return 1;
  if (!(await buildQuietly(io, outDir))) return 1;
  const separate = Boolean(process.env.BROKER_URL);
  // A first run has no .env: the example's development values (the gateway's JWT secret, say)
  // make the system start, and `npm run token` signs with the same secret. Never overwritten.
  if (!existsSync(join(outDir, '.env')) && existsSync(join(outDir, '.env.example'))) {
    copyFileSync(join(outDir, '.env.example'), join(outDir, '.env'));
    io.out('created .env from .env.example (development values; .gitignore lists it)\n');
  }
  const fresh = model.services.filter((s) => s.database === 'postgres' && !existsSync(join(outDir, DEV_DATA_DIR, s.name)));
  if (fresh.length > 0 && !separate) {
    io.out(`first run: creating the embedded PostgreSQL of ${fresh.map((s) => s.name).join(', ')} in ${DEV_DATA_DIR}/ (a few seconds each, once)\n`);
  }
  const supervisor = new Supervisor({
    outDir,
    specPath: spec.path,
    model,
    output: { out: io.out, err: io.err, paint: io.paint },
    separate,
    watch: opts.watch,
    regenerate: async () => {
      const next = await generateQuietly(io, spec.path, outDir);
      return next && (await buildQuietly(io, outDir)) ? next : undefined;
    },
    rebuild: () => buildQuietly(io, outDir),
  });
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = () => stopRequested();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const parts = await Promise.race([supervisor.start(), stopped.then(() => undefined)]);
    printSummary(io, model, parts, (Date.now() - started) / 1000);
  } catch (err) {
    await supervisor.stop();
    io.err(`${io.errPaint.red('error')}: ${(err as Error).message}\n`);
    return 1;
  }
  await stopped;
  io.out('stopping…\n');
  await supervisor.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}

export function registerDev(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('dev')
    .description('run the whole system on this machine (no Docker, no servers to install); regenerate and restart on changes')
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-o, --out <dir>', "the generated system's folder (default: the spec's folder)")
    .option('--no-watch', 'run without watching the spec and the handlers')
    .addHelpText(
      'after',
      `
Every service and the gateway run in one process over an in-memory event bus; each PostgreSQL
service gets an embedded PostgreSQL in .microgen/dev/ (PGlite). A Redis or MongoDB service uses the
server its <SERVICE>_DATABASE_URL names (default: on 127.0.0.1). With BROKER_URL set, each service
runs as its own process over that RabbitMQ. Saving the spec regenerates, rebuilds and restarts;
saving a handler rebuilds and restarts.

Examples:
  $ microgen dev
  $ microgen dev examples/shop/microgen.yaml --out /tmp/shop
  $ BROKER_URL=amqp://127.0.0.1 microgen dev

Exit codes: 0 after Ctrl-C, 1 when the system cannot start (one line saying why), 2 usage.`,
    )
    .action(async (spec: string, opts: DevOptions) => setExit(await runDev(io, spec, opts)));
}
