/** `microgen graph [SPEC] [--format mermaid|dot|svg] [--out FILE]`: the architecture diagram. */
import type { Command } from 'commander';
import { formatOfFile, GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../graph/render.js';
import { RenderError } from '../../graph/svg.js';
import { UsageError } from '../errors.js';
import { writeOutput, type Io } from '../io.js';
import { loadModel } from '../spec-file.js';

function parseFormat(value: string): GraphFormat {
  if (!(GRAPH_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}, not "${value}"`);
  return value as GraphFormat;
}

export async function runGraph(io: Io, specArg: string | undefined, opts: { format?: GraphFormat; out?: string }): Promise<number> {
  const format = opts.format ?? (opts.out ? formatOfFile(opts.out) : undefined) ?? 'mermaid';
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
