/** `microgen graph [SPEC] [--format mermaid|dot|svg] [--out FILE]`: the architecture diagram. */
import { writeFileSync } from 'node:fs';
import { ensureDir } from '../../apply/fsx.js';
import { dirname, extname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatText } from '../../diagnostics/format/text.js';
import { buildGraph } from '../../graph/build.js';
import { toDot } from '../../graph/dot.js';
import { toMermaid } from '../../graph/mermaid.js';
import { renderSvg, RenderError } from '../../graph/svg.js';
import { lintBytes } from '../../lint.js';
import type { SystemModel } from '../../model/types.js';
import { ExitError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { readSpecBytes, resolveSpec } from '../spec-file.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/**
 * The model of a spec that lints without errors. Errors are printed (stderr) and end the
 * command with exit 1: a drawing or an export of a broken spec would mislead.
 */
export function loadModel(io: Io, arg: string | undefined): SystemModel {
  const spec = resolveSpec(io.cwd, arg);
  const bytes = readSpecBytes(spec);
  const result = lintBytes(spec.display, bytes);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.model) {
    io.err(formatText(errors, io.errPaint));
    io.err(`${io.errPaint.red('error')}: ${spec.display} has lint errors; fix them first (microgen lint ${spec.display})\n`);
    throw new ExitError(1);
  }
  return result.model;
}

/** Writes `text` to `out` (relative to the working folder), creating its folder. */
export function writeOutput(io: Io, out: string, text: string): string {
  const path = resolve(io.cwd, out);
  try {
    ensureDir(dirname(path));
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function parseFormat(value: string): GraphFormat {
  if (!(GRAPH_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}, not "${value}"`);
  return value as GraphFormat;
}

const BY_EXTENSION: Record<string, GraphFormat> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

export async function renderGraph(model: SystemModel, format: GraphFormat): Promise<string> {
  const graph = buildGraph(model);
  if (format === 'mermaid') return toMermaid(graph);
  const dot = toDot(graph);
  return format === 'dot' ? dot : renderSvg(dot);
}

export async function runGraph(io: Io, specArg: string | undefined, opts: { format?: GraphFormat; out?: string }): Promise<number> {
  const format = opts.format ?? (opts.out ? BY_EXTENSION[extname(opts.out).toLowerCase()] : undefined) ?? 'mermaid';
  const model = loadModel(io, specArg);
  let text: string;
  try {
    text = await renderGraph(model, format);
  } catch (err) {
    if (err instanceof RenderError) {
      io.err(`${io.errPaint.red('error')}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (opts.out) io.out(`wrote ${writeOutput(io, opts.out, text)} (${format})\n`);
  else io.out(text);
  return 0;
}

export function registerGraph(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('graph')
    .description('draw the architecture: services and databases, calls, events, sagas, gateway routes')
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-f, --format <format>', `${GRAPH_FORMATS.join(', ')} (default: from the --out extension, else mermaid)`, parseFormat)
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Solid arrows are routes (gateway → service) and synchronous calls (labelled with the
operations); dashed arrows are events (publisher → event → subscriber); bold arrows are
sagas (orchestration: host → saga → step services; choreography: saga → start event, and
the event chain labelled with the saga's steps). Output is sorted, so it diffs well.
SVG is rendered in-process (Graphviz as WebAssembly): no browser or Graphviz install needed.

Examples:
  $ microgen graph                                   # Mermaid to stdout
  $ microgen graph examples/shop --format dot | dot -Tpng > shop.png
  $ microgen graph --out docs/architecture.svg       # format from the extension

Exit codes: 0 drawn, 1 the spec has lint errors, 2 usage or unreadable file.`,
    )
    .action(async (spec: string, opts: { format?: GraphFormat; out?: string }) => setExit(await runGraph(io, spec, opts)));
}
