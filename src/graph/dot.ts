/**
 * The graph in Graphviz DOT. Every id and label is a quoted string: `\` and `"` are escaped
 * (so a `\n` or `\N` in a spec's text stays literal), and label lines are joined with `\n`.
 */
import type { ArchitectureGraph, EdgeKind, NodeKind } from './build.js';

export function escapeDot(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const quote = (text: string): string => `"${escapeDot(text)}"`;
const label = (lines: readonly string[]): string => `"${lines.map(escapeDot).join('\\n')}"`;

const NODE_ATTRS: Record<NodeKind, string> = {
  gateway: 'shape=hexagon, style=filled, fillcolor="#fff3e0", color="#ef6c00"',
  legacy: 'shape=parallelogram, style="dashed,filled", fillcolor="#fafafa", color="#757575"',
  service: 'shape=box, style="rounded,filled", fillcolor="#e3f2fd", color="#1565c0"',
  database: 'shape=cylinder, style=filled, fillcolor="#eceff1", color="#546e7a"',
  event: 'shape=cds, style=filled, fillcolor="#f3e5f5", color="#7b1fa2"',
  saga: 'shape=component, style=filled, fillcolor="#e8f5e9", color="#2e7d32"',
};

const EDGE_ATTRS: Record<EdgeKind, string> = {
  route: 'color="#ef6c00"',
  call: 'color="#1565c0"',
  database: 'arrowhead=none, color="#546e7a"',
  publish: 'style=dashed, color="#7b1fa2"',
  subscribe: 'style=dashed, color="#7b1fa2"',
  saga: 'style=bold, color="#2e7d32"',
};

export function toDot(graph: ArchitectureGraph): string {
  const out = [
    `digraph ${quote(graph.name)} {`,
    `  graph [rankdir=LR, label=${quote(graph.name)}, labelloc=t, fontname="Helvetica"];`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const n of graph.nodes) out.push(`  ${quote(n.id)} [label=${label(n.lines)}, ${NODE_ATTRS[n.kind]}];`);
  for (const e of graph.edges) {
    const text = e.labels.length > 0 ? `label=${label(e.labels)}, ` : '';
    out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${text}${EDGE_ATTRS[e.kind]}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
