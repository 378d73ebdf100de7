/** The architecture diagram of a model, in one of the formats `microgen graph` draws. */
import { extname } from 'node:path';
import type { SystemModel } from '../model/types.js';
import { buildGraph } from './build.js';
import { toDot } from './dot.js';
import { toMermaid } from './mermaid.js';
import { renderSvg } from './svg.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const BY_EXTENSION: Record<string, GraphFormat> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

/** The format a file name asks for by its extension, if any. */
export const formatOfFile = (file: string): GraphFormat | undefined => BY_EXTENSION[extname(file).toLowerCase()];

export async function renderGraph(model: SystemModel, format: GraphFormat): Promise<string> {
  const graph = buildGraph(model);
  if (format === 'mermaid') return toMermaid(graph);
  const dot = toDot(graph);
  return format === 'dot' ? dot : renderSvg(dot);
}
