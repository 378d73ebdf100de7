export { buildGraph, type ArchitectureGraph, type GraphEdge, type GraphNode } from './build.js';
export { toDot, escapeDot } from './dot.js';
export { toMermaid, escapeMermaid } from './mermaid.js';
export { renderSvg } from './svg.js';
export { formatOfFile, GRAPH_FORMATS, renderGraph, type GraphFormat } from './render.js';
