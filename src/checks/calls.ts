/**
 * `call-cycle`: synchronous calls that form a cycle. Each cycle is reported once, at the
 * call that closes it, with the whole loop spelled out (`a → b → c → a`).
 */
import type { SystemModel } from '../model/types.js';
import { warning, type Finding } from './finding.js';

export function checkCallCycles(model: SystemModel): Finding[] {
  const edges = new Map(model.services.map((s) => [s.name, s.calls]));
  const out: Finding[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const call of edges.get(name) ?? []) {
      if (!edges.has(call.service)) continue;
      const st = state.get(call.service);
      if (st === 'active') {
        const loop = [...stack.slice(stack.indexOf(call.service)), call.service];
        const key = [...loop.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          out.push(warning('call-cycle', call.at, `synchronous calls form a cycle: ${loop.join(' → ')}; one slow service can stall all of them`, 'key'));
        }
      } else if (st === undefined) {
        visit(call.service);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const s of model.services) if (!state.has(s.name)) visit(s.name);
  return out;
}
