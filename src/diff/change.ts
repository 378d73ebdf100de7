/**
 * What `microgen diff` reports: one `Change` per thing that differs between two versions of
 * a spec, with how much it breaks (like buf's categories):
 *
 * - `wire`: something already running breaks: a client built against the old spec calling the
 *   new service, a subscriber built against the old spec receiving the new event. Breaking: exit 1.
 * - `source`: nothing on the wire breaks, but code written against the old generated code must
 *   change (a renamed client method, a handler that now receives or must return another type).
 * - `info`: safe (additions, widened inputs, narrowed outputs); listed only with `--verbose`.
 */
import type { SpecPath } from '../model/types.js';

export const SEVERITIES = ['wire', 'source', 'info'] as const;
export type ChangeSeverity = (typeof SEVERITIES)[number];

export const CHANGE_KINDS = [
  'service-removed',
  'service-added',
  'port-changed',
  'database-changed',
  'operation-removed',
  'operation-renamed',
  'operation-moved',
  'operation-added',
  'handler-renamed',
  'param-renamed',
  'body-added',
  'body-removed',
  'response-removed',
  'response-added',
  'field-removed',
  'field-added',
  'required-field-added',
  'field-made-required',
  'field-made-optional',
  'type-changed',
  'type-narrowed',
  'type-widened',
  'type-renamed',
  'enum-value-removed',
  'enum-value-added',
  'event-removed',
  'event-added',
  'event-unpublished',
  'event-version-not-bumped',
  'event-version-bumped',
  'route-removed',
  'route-changed',
  'route-added',
  'saga-removed',
  'saga-added',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  readonly kind: ChangeKind;
  readonly severity: ChangeSeverity;
  /** One sentence: what changed and whom it breaks. */
  readonly message: string;
  /** A human path to the changed thing: `services.user.operations.getUser`, `schemas.Item.quantity`. */
  readonly where: string;
  /** The spec the position is in: the new one when the thing still exists there, else the old one. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A change before it is placed in a file: `at` is a path in the old or the new spec. */
export interface RawChange {
  readonly kind: ChangeKind;
  readonly severity: ChangeSeverity;
  readonly message: string;
  readonly where: string;
  readonly at: { readonly side: 'old' | 'new'; readonly path: SpecPath };
}

export const severityRank = (s: ChangeSeverity): number => SEVERITIES.indexOf(s);

export function countChanges(changes: readonly { severity: ChangeSeverity }[]): Record<ChangeSeverity, number> {
  const counts: Record<ChangeSeverity, number> = { wire: 0, source: 0, info: 0 };
  for (const c of changes) counts[c.severity]++;
  return counts;
}
