/**
 * The one rename detector. A service's user-owned handler classes implement members the spec
 * asks for: one per operation, one per event handler (saga steps' handlers included) and one
 * per fallback. Between two states of a spec, which of those members were renamed? `microgen
 * diff` reports the answer (between two models); `generate` acts on it (between what the
 * manifest recorded of the last generation and the model now), renaming the methods in the
 * user's files (src/apply/renames.ts) so their bodies are kept.
 *
 * A member `a` of a service became `b` (same service, same kind) when `a` is gone, `b` is new, and
 * - `b` says `renamedFrom: a` in the spec (explicit; it wins), or
 * - `a` and `b` have the same identity and no other gone or new member of that kind shares it.
 *   The identity is what stays when only a name changes: an operation's method and path
 *   (parameters by position), a subscription's event pattern, a saga step's saga and position,
 *   a fallback's callee and that operation's identity.
 * A gone and a new member that match neither way give a hint: if it was a rename, say so.
 */
import { routeShape } from '../checks/operations.js';
import type { Operation, Subscription, SystemModel } from '../model/types.js';
import { fallbackMethodName, resolvedCalls } from './generators/clients.js';
import { memberKeys } from './paths.js';

export type MemberKind = 'operation' | 'handler' | 'fallback';

export interface UserMember {
  readonly service: string;
  readonly kind: MemberKind;
  /** The stub key (`operation:greet`): the manifest's name for the member. */
  readonly key: string;
  /** The method's name in the user's class. */
  readonly name: string;
  /** What stays when only the name changes; empty when unknown (never matches). */
  readonly identity: string;
  /** The key of the member this one was, by the spec's `renamedFrom`. */
  readonly renamedFrom?: string;
}

export interface Rename {
  readonly service: string;
  readonly kind: MemberKind;
  readonly from: { readonly key: string; readonly name: string };
  readonly to: { readonly key: string; readonly name: string };
  /** Said by `renamedFrom` (else found by identity). */
  readonly explicit: boolean;
}

/** A gone member and the new ones of its kind in its service that might be it. */
export interface RenameHint {
  readonly service: string;
  readonly kind: MemberKind;
  readonly from: string;
  readonly to: readonly string[];
}

const operationIdentity = (op: Operation): string => `${op.method} ${routeShape(op.path)}`;

/** A spec subscription by its pattern; one a choreography implies by its saga step. */
function subscriptionIdentity(sub: Subscription): string {
  if (sub.origin.kind === 'spec') return `event ${sub.event}`;
  // Implied subscriptions sit at [sagas, <saga>, steps|compensations, <i>, when].
  return `saga ${sub.origin.saga} ${String(sub.at[2])}[${String(sub.at[3])}]`;
}

/** Every member the spec asks the user's handler classes to implement, in spec order. */
export function userMembers(model: SystemModel): UserMember[] {
  const out: UserMember[] = [];
  for (const s of model.services) {
    for (const op of s.operations) {
      out.push({
        service: s.name,
        kind: 'operation',
        key: memberKeys.operation(op.name),
        name: op.name,
        identity: operationIdentity(op),
        ...(op.renamedFrom !== undefined ? { renamedFrom: memberKeys.operation(op.renamedFrom) } : {}),
      });
    }
    // Subscriptions naming one handler share its method: its identity is all of theirs.
    const handlers = new Map<string, Subscription[]>();
    for (const sub of s.subscribes) handlers.set(sub.handler, [...(handlers.get(sub.handler) ?? []), sub]);
    for (const [name, subs] of handlers) {
      const renamedFrom = subs.find((sub) => sub.renamedFrom !== undefined)?.renamedFrom;
      out.push({
        service: s.name,
        kind: 'handler',
        key: memberKeys.handler(name),
        name,
        identity: [...new Set(subs.map(subscriptionIdentity))].sort().join(' + '),
        ...(renamedFrom !== undefined ? { renamedFrom: memberKeys.handler(renamedFrom) } : {}),
      });
    }
    if (!s.features.fallbacks) continue;
    for (const { call, callee, operations } of resolvedCalls(model, s)) {
      if (!call.fallback) continue;
      for (const op of operations) {
        out.push({
          service: s.name,
          kind: 'fallback',
          key: memberKeys.fallback(callee.name, op.name),
          name: fallbackMethodName(callee.name, op),
          identity: `${callee.name} ${operationIdentity(op)}`,
          ...(op.renamedFrom !== undefined ? { renamedFrom: memberKeys.fallback(callee.name, op.renamedFrom) } : {}),
        });
      }
    }
  }
  return out;
}

/** What the manifest records of the members: service → key → identity. */
export type MemberRecord = Record<string, Record<string, string>>;

export function recordMembers(members: readonly UserMember[]): MemberRecord {
  const record: MemberRecord = {};
  for (const m of members) (record[m.service] ??= {})[m.key] = m.identity;
  return record;
}

/** A member from its key (the inverse of `memberKeys`); undefined for a key of another kind. */
export function memberOfKey(service: string, key: string, identity: string): UserMember | undefined {
  const [prefix, first, second] = key.split(':');
  if (prefix === 'operation' && first) return { service, kind: 'operation', key, name: first, identity };
  if (prefix === 'event' && first) return { service, kind: 'handler', key, name: first, identity };
  if (prefix === 'fallback' && first && second) return { service, kind: 'fallback', key, name: fallbackMethodName(first, { name: second }), identity };
  return undefined;
}

export function membersOfRecord(record: MemberRecord): UserMember[] {
  return Object.entries(record).flatMap(([service, keys]) => Object.entries(keys).flatMap(([key, identity]) => memberOfKey(service, key, identity) ?? []));
}

function groups(members: readonly UserMember[]): Map<string, UserMember[]> {
  const out = new Map<string, UserMember[]>();
  for (const m of members) {
    const g = `${m.service}\0${m.kind}`;
    out.set(g, [...(out.get(g) ?? []), m]);
  }
  return out;
}

/** The renames from `prev` to `next`, and hints where a rename may have gone unseen. */
export function detectRenames(prev: readonly UserMember[], next: readonly UserMember[]): { renames: Rename[]; hints: RenameHint[] } {
  const renames: Rename[] = [];
  const hints: RenameHint[] = [];
  const before = groups(prev);
  for (const [group, now] of groups(next)) {
    const was = before.get(group) ?? [];
    const nowKeys = new Set(now.map((m) => m.key));
    const wasKeys = new Set(was.map((m) => m.key));
    const gone = was.filter((m) => !nowKeys.has(m.key));
    const added = now.filter((m) => !wasKeys.has(m.key));
    if (gone.length === 0 || added.length === 0) continue;
    const matched = new Set<UserMember>();
    const rename = (a: UserMember, b: UserMember, explicit: boolean): void => {
      matched.add(a).add(b);
      renames.push({ service: b.service, kind: b.kind, from: { key: a.key, name: a.name }, to: { key: b.key, name: b.name }, explicit });
    };
    for (const b of added) {
      const a = gone.find((m) => m.key === b.renamedFrom && !matched.has(m));
      if (a) rename(a, b, true);
    }
    const open = (list: readonly UserMember[], identity: string) => list.filter((m) => !matched.has(m) && m.identity === identity);
    for (const a of gone) {
      if (matched.has(a) || a.identity === '') continue;
      const candidates = open(added, a.identity);
      if (candidates.length === 1 && open(gone, a.identity).length === 1) rename(a, candidates[0], false);
    }
    const left = added.filter((m) => !matched.has(m));
    // A fallback is renamed with its operation: the hint belongs to the operation.
    if (left.length === 0 || now[0].kind === 'fallback') continue;
    for (const a of gone) if (!matched.has(a)) hints.push({ service: a.service, kind: a.kind, from: a.name, to: left.map((m) => m.name) });
  }
  return { renames, hints };
}

const q = (s: string): string => `\`${s}\``;

/** One line for a hint: how to tell microgen it was a rename. */
export function hintText(h: RenameHint): string {
  const where = h.kind === 'operation' ? 'operation' : 'subscription (or saga step) of';
  const to = h.to.length === 1 ? q(h.to[0]) : `one of ${h.to.map(q).join(', ')}`;
  const target = h.to.length === 1 ? q(h.to[0]) : 'that one';
  return `${h.service}: if ${q(h.from)} was renamed to ${to}, add \`renamedFrom: ${h.from}\` to the ${where} ${target} to keep its code`;
}
