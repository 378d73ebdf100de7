/**
 * `renamed-from`: a `renamedFrom` that cannot mean a rename. It names the member itself, or a
 * member of the same kind that the service still has, or sits on a saga step that implies no
 * handler (the service subscribes to the event itself). Whether the old name existed before is
 * not lint's business (lint sees one spec): `generate` and `diff` ignore a `renamedFrom` that
 * names nothing in the previous state, so it may stay in the spec.
 */
import type { SpecPath, SystemModel } from '../model/types.js';
import { warning, type Finding } from './finding.js';
import { serviceNamed } from '../model/lookup.js';

const ignored = 'renamedFrom is ignored';

export function checkRenamedFrom(model: SystemModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.services) {
    const operations = new Set(s.operations.map((o) => o.name));
    for (const op of s.operations) {
      if (op.renamedFrom === undefined) continue;
      const at = [...op.at, 'renamedFrom'];
      if (op.renamedFrom === op.name) out.push(warning('renamed-from', at, `operation ${op.name} says it was renamed from itself: ${ignored}`));
      else if (operations.has(op.renamedFrom)) out.push(warning('renamed-from', at, `operation ${op.name} says it was renamed from ${op.renamedFrom}, which service ${s.name} still has: ${ignored}`));
    }
    const handlers = new Set(s.subscribes.map((sub) => sub.handler));
    for (const sub of s.subscribes) {
      if (sub.renamedFrom === undefined) continue;
      // Implied by a saga step: at [..., 'when'] of the step.
      const at: SpecPath = sub.origin.kind === 'saga' ? [...sub.at.slice(0, -1), 'renamedFrom'] : [...sub.at, 'renamedFrom'];
      if (sub.renamedFrom === sub.handler) out.push(warning('renamed-from', at, `handler ${sub.handler} says it was renamed from itself: ${ignored}`));
      else if (handlers.has(sub.renamedFrom)) out.push(warning('renamed-from', at, `handler ${sub.handler} says it was renamed from ${sub.renamedFrom}, which service ${s.name} still has: ${ignored}`));
    }
  }
  for (const saga of model.sagas) {
    if (saga.style !== 'choreography') continue;
    for (const r of [...saga.steps, ...saga.compensations]) {
      if (r.renamedFrom === undefined) continue;
      const service = serviceNamed(model, r.service);
      const implied = service?.subscribes.some((sub) => sub.origin.kind === 'saga' && sub.at.join('\0') === [...r.at, 'when'].join('\0'));
      if (service && !implied) {
        out.push(warning('renamed-from', [...r.at, 'renamedFrom'], `service ${r.service} subscribes to ${r.when} itself, so this step implies no handler: ${ignored} (put it on that subscription)`));
      }
    }
  }
  return out;
}
