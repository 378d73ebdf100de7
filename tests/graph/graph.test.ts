/**
 * `microgen graph`: Mermaid and DOT against golden files (UPDATE_GOLDEN=1 rewrites them),
 * SVG rendered in-process, label escaping, determinism.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph, type ArchitectureGraph } from '../../src/graph/build.js';
import { escapeDot, toDot } from '../../src/graph/dot.js';
import { escapeMermaid, toMermaid } from '../../src/graph/mermaid.js';
import { renderSvg } from '../../src/graph/svg.js';
import { lintFile, lintText } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';

const GOLDEN = 'tests/golden/graph';

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** A small well-formedness check: tags balance, attributes are quoted, nothing is left open. */
function assertWellFormedXml(xml: string): void {
  const body = xml
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    expect(body.slice(last, m.index), 'text between tags has no stray <').not.toMatch(/</);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(body.slice(last)).not.toMatch(/</);
  expect(stack).toEqual([]);
}

describe('golden diagrams', () => {
  it.each([
    ['shop', 'examples/shop/microgen.yaml'],
    ['minimal', 'examples/minimal/microgen.yaml'],
  ])('%s as Mermaid and DOT', async (name, spec) => {
    const mermaid = await runCli(['graph', spec]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stderr).toBe('');
    golden(`${name}.mmd`, mermaid.stdout);
    const dot = await runCli(['graph', spec, '--format', 'dot']);
    expect(dot.code).toBe(0);
    golden(`${name}.dot`, dot.stdout);
  });
});

describe('what the shop diagram shows', () => {
  const graph = buildGraph(lintFile('examples/shop/microgen.yaml').model!);
  const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);

  it('services with their databases', () => {
    expect(graph.nodes.filter((n) => n.kind === 'service').map((n) => n.lines[0])).toEqual(['inventory', 'notification', 'order', 'payment', 'product', 'user']);
    expect(graph.nodes.find((n) => n.id === 'db_product')).toMatchObject({ kind: 'database', lines: ['redis'] });
    expect(graph.nodes.find((n) => n.id === 'db_notification')).toBeUndefined();
    expect(edge('svc_order', 'db_order')?.kind).toBe('database');
  });

  it('sync calls labelled with operations, routes labelled with paths', () => {
    expect(edge('svc_order', 'svc_user')).toMatchObject({ kind: 'call', labels: ['getUser'] });
    expect(edge('gateway', 'svc_product')).toMatchObject({ kind: 'route', labels: ['/api/products (public)'] });
  });

  it('events from publisher to subscribers, patterns expanded', () => {
    expect(edge('svc_user', 'evt_user_registered')?.kind).toBe('publish');
    expect(edge('evt_user_registered', 'svc_notification')?.kind).toBe('subscribe');
    // notification subscribes to order.*
    for (const e of ['order_created', 'order_completed', 'order_cancelled']) expect(edge(`evt_${e}`, 'svc_notification')?.kind).toBe('subscribe');
  });

  it('orchestration: host runs the saga, the saga calls each step in order', () => {
    expect(edge('svc_order', 'saga_place_order')).toMatchObject({ kind: 'saga', labels: ['runs'] });
    expect(edge('saga_place_order', 'svc_inventory')?.labels).toEqual(['2. reserve (undo: release)']);
    expect(edge('saga_place_order', 'svc_payment')?.labels).toEqual(['3. charge (undo: refund)']);
  });

  it('choreography: the saga starts at its event and labels the chain', () => {
    expect(edge('saga_fulfil_order', 'evt_order_completed')).toMatchObject({ kind: 'saga', labels: ['starts'] });
    expect(edge('evt_order_completed', 'svc_inventory')?.labels).toEqual(['fulfil-order step 1']);
    expect(edge('svc_inventory', 'evt_inventory_failed')?.labels).toEqual(['fulfil-order step 1 fails']);
    expect(edge('evt_inventory_shipped', 'svc_notification')?.labels).toEqual(['fulfil-order step 2']);
    expect(edge('evt_inventory_failed', 'svc_payment')?.labels).toEqual(['fulfil-order compensation']);
  });
});

describe('determinism', () => {
  it('the order of the spec does not change the output', async () => {
    const shop = readFileSync('examples/shop/microgen.yaml', 'utf8');
    const model = lintText('a.yaml', shop).model!;
    // Reverse the services and events: same system, other order.
    const reordered = { ...model, services: [...model.services].reverse(), events: [...model.events].reverse(), sagas: [...model.sagas].reverse() };
    expect(toMermaid(buildGraph(reordered))).toBe(toMermaid(buildGraph(model)));
    expect(toDot(buildGraph(reordered))).toBe(toDot(buildGraph(model)));
  });
});

describe('escaping', () => {
  const hostile = 'say "hi" <b>#1</b> & `tick` \\N back\\slash\nnew line';
  const graph: ArchitectureGraph = {
    name: 'x"y',
    nodes: [
      { id: 'svc_a', kind: 'service', lines: [hostile] },
      { id: 'evt_b', kind: 'event', lines: ['b'] },
    ],
    edges: [{ from: 'svc_a', to: 'evt_b', kind: 'publish', labels: [hostile, 'second'] }],
  };

  it('Mermaid labels cannot end their quotes or open tags', () => {
    const text = escapeMermaid(hostile);
    expect(text).not.toMatch(/["<>`\n]/);
    expect(text).toBe('say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; #96;tick#96; \\N back\\slash new line');
    const out = toMermaid(graph);
    expect(out).toContain(`svc_a["${text}"]`);
    expect(out).toContain(`svc_a -.->|"${text}<br/>second"| evt_b`);
  });

  it('DOT strings escape quotes and backslashes, and Graphviz accepts them', async () => {
    expect(escapeDot(hostile)).toBe('say \\"hi\\" <b>#1</b> & `tick` \\\\N back\\\\slash new line');
    const dot = toDot(graph);
    expect(dot).toContain('digraph "x\\"y" {');
    const svg = await renderSvg(dot);
    assertWellFormedXml(svg);
    // The label arrives verbatim (XML-escaped) in the drawing: nothing was interpreted.
    expect(svg).toContain('say &quot;hi&quot; &lt;b&gt;#1&lt;/b&gt; &amp; `tick` \\N back\\slash new line');
  });
});

describe('svg', () => {
  it('renders the shop without a browser: well-formed, with every service', async () => {
    const run = await runCli(['graph', 'examples/shop', '--format', 'svg']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('<svg') || run.stdout.startsWith('<?xml')).toBe(true);
    assertWellFormedXml(run.stdout);
    expect(run.stdout).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const name of ['user', 'product', 'order', 'inventory', 'payment', 'notification']) expect(run.stdout).toContain(`>${name}</text>`);
  });

  it('--out picks the format from the extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-graph-'));
    const run = await runCli(['graph', join(process.cwd(), 'examples/minimal'), '--out', 'docs/arch.svg'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote docs/arch.svg (svg)\n');
    const svg = readFileSync(join(dir, 'docs/arch.svg'), 'utf8');
    assertWellFormedXml(svg);
    expect(svg).toContain('>greeter</text>');
    const dot = await runCli(['graph', join(process.cwd(), 'examples/minimal'), '--out', 'arch.dot'], dir);
    expect(dot.code).toBe(0);
    expect(readFileSync(join(dir, 'arch.dot'), 'utf8')).toMatch(/^digraph "minimal" \{/);
  });
});

describe('usage', () => {
  it('an unknown format is a usage error', async () => {
    const run = await runCli(['graph', 'examples/shop', '--format', 'png']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be one of mermaid, dot, svg');
  });

  it('a spec with lint errors is not drawn (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-graph-'));
    writeFileSync(join(dir, 'microgen.yaml'), readFileSync('examples/minimal/microgen.yaml', 'utf8').replace('service: greeter', 'service: greetr'));
    const run = await runCli(['graph'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/microgen\.yaml:\d+:\d+: error unknown-service/);
  });

  it('--help has examples', async () => {
    const run = await runCli(['graph', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('microgen graph --out docs/architecture.svg');
  });
});

describe('the strangler fig', () => {
  it('draws a route to a system outside the spec as a legacy node named by its host', () => {
    const { model } = lintFile('tests/fixtures/rules/upstream-url/good.yaml');
    const graph = buildGraph(model!);
    expect(graph.nodes.filter((n) => n.kind === 'legacy').map((n) => n.lines)).toEqual([
      ['legacy.internal:8080', 'legacy'],
      ['reports.example.com', 'legacy'],
    ]);
    expect(graph.edges.filter((e) => e.kind === 'route').map((e) => [e.to, e.labels])).toEqual([
      ['legacy_legacy_internal_8080', ['/api']],
      ['legacy_reports_example_com', ['/reports']],
      ['svc_user', ['/api/users']],
    ]);
    expect(toMermaid(graph)).toContain('legacy_legacy_internal_8080[/"legacy.internal:8080<br/>legacy"/]');
    expect(toDot(graph)).toContain('shape=parallelogram');
  });
});
