/** `unused-event`: an event nobody publishes, or nobody subscribes to (saga implications count). */
import type { SystemModel } from '../model/types.js';
import { warning, type Finding } from './finding.js';

export function checkUnusedEvents(model: SystemModel): Finding[] {
  const published = new Set(model.services.flatMap((s) => s.publishes.map((p) => p.event)));
  const subscribed = new Set(model.services.flatMap((s) => s.subscribes.flatMap((sub) => sub.matches)));
  const out: Finding[] = [];
  for (const e of model.events) {
    const pub = published.has(e.name);
    const sub = subscribed.has(e.name);
    if (pub && sub) continue;
    const what = !pub && !sub ? 'nobody publishes or subscribes to it' : !pub ? 'nobody publishes it' : 'nobody subscribes to it';
    out.push(warning('unused-event', e.at, `event ${e.name} is declared but ${what}`, 'key'));
  }
  return out;
}
