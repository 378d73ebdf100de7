/**
 * The architecture of a system as a small graph, independent of any drawing syntax: the
 * Mermaid and DOT writers only print it. Deterministic: nodes and edges are sorted, and an
 * edge drawn for several reasons (two routes to one service, a saga step along an event)
 * is one edge with several labels.
 *
 * - services, each with its database (a cylinder) when it has one;
 * - the gateway and an edge per routed service, labelled with the route paths; a route to a system
 *   outside the spec (`upstream`, the strangler fig) points at a `legacy` node named by its host;
 * - synchronous calls, labelled with the operations used;
 * - events: publisher → event → subscriber (dashed);
 * - orchestrated sagas: host → saga → each step's service, labelled `1. action (undo: compensation)`;
 * - choreographed sagas: saga → start event, and the event chain's edges labelled with the step.
 */
import type { SystemModel } from '../model/types.js';

export const NODE_KINDS = ['gateway', 'legacy', 'service', 'database', 'event', 'saga'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const EDGE_KINDS = ['route', 'call', 'database', 'publish', 'subscribe', 'saga'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The label, one entry per line. The first line is the name. */
  readonly lines: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Drawn one per line. */
  readonly labels: readonly string[];
}

export interface ArchitectureGraph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildGraph(model: SystemModel): ArchitectureGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, { from: string; to: string; kind: EdgeKind; labels: string[] }>();
  const ids = new Map<string, string>();
  const taken = new Set<string>();

  /** Readable ids (`svc_order_history`, `evt_order_created`); the rare clash gets a number. */
  const idOf = (prefix: string, name: string): string => {
    const key = `${prefix}:${name}`;
    let id = ids.get(key);
    if (id === undefined) {
      const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
      id = base;
      for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
      taken.add(id);
      ids.set(key, id);
    }
    return id;
  };
  const node = (n: GraphNode) => void (nodes.has(n.id) || nodes.set(n.id, n));
  const edge = (from: string, to: string, kind: EdgeKind, label?: string) => {
    const key = `${from}\0${to}\0${kind}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { from, to, kind, labels: [] }));
    if (label !== undefined && !e.labels.includes(label)) e.labels.push(label);
  };

  // Ids are handed out in sorted order, so a clash always numbers the same name.
  const services = [...model.services].sort((a, b) => cmp(a.name, b.name));
  const events = [...model.events].sort((a, b) => cmp(a.name, b.name));
  const sagas = [...model.sagas].sort((a, b) => cmp(a.name, b.name));
  const svc = (name: string) => idOf('svc', name);
  const evt = (name: string) => idOf('evt', name);
  for (const s of services) svc(s.name);
  for (const e of events) evt(e.name);

  for (const s of services) {
    const lines = [s.name, `:${s.port}`];
    if (s.persistence === 'event-sourced') lines.push('event-sourced');
    node({ id: svc(s.name), kind: 'service', lines });
    if (s.database !== 'none') {
      node({ id: idOf('db', s.name), kind: 'database', lines: [s.database] });
      edge(svc(s.name), idOf('db', s.name), 'database');
    }
  }
  const declared = new Set(model.services.map((s) => s.name));
  const declaredEvents = new Set(model.events.map((e) => e.name));
  for (const e of events) node({ id: evt(e.name), kind: 'event', lines: e.version > 1 ? [e.name, `v${e.version}`] : [e.name] });

  if (model.gateway.routes.length > 0) {
    node({ id: 'gateway', kind: 'gateway', lines: [`gateway (${model.gateway.kind})`, `:${model.gateway.port}`] });
    const routes = [...model.gateway.routes].sort((a, b) => cmp(a.path, b.path));
    for (const r of routes) {
      const methods = r.methods.length > 0 ? ` ${r.methods.join(',')}` : '';
      const auth = r.auth === 'none' && model.gateway.jwt ? ' (public)' : '';
      if (r.upstream !== undefined) {
        const host = new URL(r.upstream).host;
        const id = idOf('legacy', host);
        node({ id, kind: 'legacy', lines: [host, 'legacy'] });
        edge('gateway', id, 'route', `${r.path}${methods}${auth}`);
      } else if (r.service !== undefined && declared.has(r.service)) {
        edge('gateway', svc(r.service), 'route', `${r.path}${methods}${auth}`);
      }
    }
  }

  for (const s of services) {
    for (const c of [...s.calls].sort((a, b) => cmp(a.service, b.service))) {
      if (!declared.has(c.service)) continue;
      edge(svc(s.name), svc(c.service), 'call', c.operations.join(', '));
    }
    for (const p of [...s.publishes].sort((a, b) => cmp(a.event, b.event))) {
      if (declaredEvents.has(p.event)) edge(svc(s.name), evt(p.event), 'publish');
    }
    for (const sub of s.subscribes) {
      for (const e of [...sub.matches].sort()) edge(evt(e), svc(s.name), 'subscribe');
    }
  }

  for (const saga of sagas) {
    const id = idOf('saga', saga.name);
    node({ id, kind: 'saga', lines: [saga.name, saga.style] });
    if (saga.style === 'orchestration') {
      if (declared.has(saga.host)) edge(svc(saga.host), id, 'saga', 'runs');
      saga.steps.forEach((step, i) => {
        if (!declared.has(step.action.service)) return;
        const undo = step.compensation ? ` (undo: ${step.compensation.service === step.action.service ? '' : `${step.compensation.service}.`}${step.compensation.operation})` : '';
        edge(id, svc(step.action.service), 'saga', `${i + 1}. ${step.action.operation}${undo}`);
      });
    } else {
      if (declaredEvents.has(saga.start)) edge(id, evt(saga.start), 'saga', 'starts');
      const chain = (when: string, service: string, outs: [string | undefined, string][], label: string) => {
        if (!declared.has(service)) return;
        if (declaredEvents.has(when)) edge(evt(when), svc(service), 'subscribe', label);
        for (const [event, suffix] of outs) if (event && declaredEvents.has(event)) edge(svc(service), evt(event), 'publish', `${label}${suffix}`);
      };
      saga.steps.forEach((st, i) => chain(st.when, st.service, [[st.emits, ''], [st.fails, ' fails']], `${saga.name} step ${i + 1}`));
      for (const c of saga.compensations) chain(c.when, c.service, [[c.emits, '']], `${saga.name} compensation`);
    }
  }

  const rank = <T extends string>(order: readonly T[], k: T) => order.indexOf(k);
  return {
    name: model.name,
    nodes: [...nodes.values()].sort((a, b) => rank(NODE_KINDS, a.kind) - rank(NODE_KINDS, b.kind) || cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => rank(EDGE_KINDS, a.kind) - rank(EDGE_KINDS, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to)),
  };
}
