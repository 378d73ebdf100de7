/**
 * Ports that moved since the last generation. The model decides every port from the spec alone
 * (src/model/build.ts), so the same spec gives the same tree anywhere; the manifest only
 * remembers what was generated last, so that `generate` can warn when a service's port changed,
 * say why (its place in the spec moved, its `port:` was removed or edited) and how to pin it.
 */
import type { Finding } from '../checks/finding.js';
import { warning } from '../checks/finding.js';
import type { Service, SystemModel } from '../model/types.js';
import type { ManifestPort } from './manifest.js';

/** What the manifest records: every service's port, in spec order. */
export const portsOf = (model: SystemModel): ManifestPort[] =>
  model.services.map((s) => ({ service: s.name, port: s.port, ...(s.portDeclared ? {} : { implicit: true as const }) }));

const names = (list: readonly string[]): string => (list.length === 1 ? `service ${list[0]}` : `services ${list.join(', ')}`);
const were = (list: readonly string[]): string => (list.length === 1 ? 'was' : 'were');

/** Why an implicit port moved: the services before it changed, or (nothing else is left) the gateway's port did. */
function causeOf(service: string, before: readonly ManifestPort[], model: SystemModel): string {
  const oldNames = before.map((p) => p.service);
  const newNames = model.services.map((s) => s.name);
  const oldBefore = new Set(oldNames.slice(0, oldNames.indexOf(service)));
  const newBefore = new Set(newNames.slice(0, newNames.indexOf(service)));
  const added = [...newBefore].filter((n) => !oldNames.includes(n));
  const removed = [...oldBefore].filter((n) => !newNames.includes(n));
  const parts: string[] = [];
  if (added.length) parts.push(`${names(added)} ${were(added)} added before it`);
  if (removed.length) parts.push(`${names(removed)} ${were(removed)} removed before it`);
  const moved = [...newBefore].filter((n) => !oldBefore.has(n) && !added.includes(n)).length + [...oldBefore].filter((n) => !newBefore.has(n) && !removed.includes(n)).length;
  if (moved) parts.push('the services were reordered');
  return parts.length ? parts.join(' and ') : "the gateway's port changed";
}

function message(s: Service, old: ManifestPort, before: readonly ManifestPort[], model: SystemModel): string {
  const head = `port of ${s.name} changed ${old.port} → ${s.port}`;
  if (s.portDeclared) return `${head} as its port: says; whatever calls it on ${old.port} (other systems, bookmarks, firewall rules) must change too`;
  if (!old.implicit) return `${head} because its port: was removed; put back port: ${old.port} to keep it`;
  return `${head} because it has no port: and ${causeOf(s.name, before, model)}; pin it with port: ${old.port}`;
}

/** One warning per service whose port differs from the one it was last generated with. */
export function portMoves(before: readonly ManifestPort[] | undefined, model: SystemModel): Finding[] {
  if (!Array.isArray(before)) return [];
  const old = new Map(before.map((p) => [p.service, p]));
  const out: Finding[] = [];
  for (const s of model.services) {
    const was = old.get(s.name);
    if (!was || was.port === s.port) continue;
    out.push(warning('port-moved', s.portDeclared ? [...s.at, 'port'] : s.at, message(s, was, before, model), s.portDeclared ? 'value' : 'key'));
  }
  return out;
}
