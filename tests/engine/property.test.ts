/**
 * Property: for random sequences of spec edits (add/remove/rename services, operations and
 * events) interleaved with user edits to handler files, after every `generate`
 *   - no user edit is lost,
 *   - `check` finds nothing stale,
 *   - a second `generate` changes nothing (not even the manifest).
 * Runs through the engine API (not the CLI) to afford many sequences: each run starts from a
 * copy of one generated tree, and an edit that changes neither the spec nor a user file is
 * not generated again (the check after the previous generate already ran on exactly that state).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSettled, generateIn } from '../helpers/engine.js';

type SpecState = { services: Record<string, { ops: string[]; publishes: string[]; subscribes: string[] }>; events: string[] };

const SERVICES = ['alpha', 'beta', 'gamma'];
const OPS = ['getThing', 'listThings', 'createThing', 'removeThing'];
const EVENTS = ['thing.created', 'thing.removed', 'other.happened'];

type Edit =
  | { kind: 'add-service'; name: string }
  | { kind: 'remove-service'; name: string }
  | { kind: 'rename-service'; from: string; to: string }
  | { kind: 'add-op'; service: string; op: string }
  | { kind: 'remove-op'; service: string; op: string }
  | { kind: 'rename-op'; service: string; from: string; to: string }
  | { kind: 'add-event'; event: string; publisher: string; subscriber: string }
  | { kind: 'remove-event'; event: string }
  // `service` picks one of the services the spec has then (by index): an edit of a file that
  // does not exist would change nothing.
  | { kind: 'user-edit'; service: number; file: 'operations' | 'events' | 'main'; style: 'append' | 'member' };

const pick = <T,>(list: readonly T[]) => fc.constantFrom(...list);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  pick(SERVICES).map((name) => ({ kind: 'add-service' as const, name })),
  pick(SERVICES).map((name) => ({ kind: 'remove-service' as const, name })),
  fc.tuple(pick(SERVICES), pick(SERVICES)).map(([from, to]) => ({ kind: 'rename-service' as const, from, to })),
  fc.tuple(pick(SERVICES), pick(OPS)).map(([service, op]) => ({ kind: 'add-op' as const, service, op })),
  fc.tuple(pick(SERVICES), pick(OPS)).map(([service, op]) => ({ kind: 'remove-op' as const, service, op })),
  fc.tuple(pick(SERVICES), pick(OPS), pick(OPS)).map(([service, from, to]) => ({ kind: 'rename-op' as const, service, from, to })),
  fc.tuple(pick(EVENTS), pick(SERVICES), pick(SERVICES)).map(([event, publisher, subscriber]) => ({ kind: 'add-event' as const, event, publisher, subscriber })),
  pick(EVENTS).map((event) => ({ kind: 'remove-event' as const, event })),
  fc
    .tuple(fc.nat(SERVICES.length - 1), pick(['operations', 'events', 'main'] as const), pick(['append', 'member'] as const))
    .map(([service, file, style]) => ({ kind: 'user-edit' as const, service, file, style })),
);

function applyEdit(state: SpecState, e: Edit): void {
  const s = state.services;
  switch (e.kind) {
    case 'add-service':
      s[e.name] ??= { ops: ['getThing'], publishes: [], subscribes: [] };
      break;
    case 'remove-service':
      if (Object.keys(s).length > 1) delete s[e.name];
      break;
    case 'rename-service':
      if (s[e.from] && !s[e.to]) {
        s[e.to] = s[e.from];
        delete s[e.from];
      }
      break;
    case 'add-op':
      if (s[e.service] && !s[e.service].ops.includes(e.op)) s[e.service].ops.push(e.op);
      break;
    case 'remove-op':
      if (s[e.service] && s[e.service].ops.length > 1) s[e.service].ops = s[e.service].ops.filter((o) => o !== e.op);
      break;
    case 'rename-op':
      if (s[e.service]?.ops.includes(e.from) && !s[e.service].ops.includes(e.to)) s[e.service].ops = s[e.service].ops.map((o) => (o === e.from ? e.to : o));
      break;
    case 'add-event':
      if (!state.events.includes(e.event)) state.events.push(e.event);
      if (s[e.publisher] && !s[e.publisher].publishes.includes(e.event)) s[e.publisher].publishes.push(e.event);
      if (s[e.subscriber] && !s[e.subscriber].subscribes.includes(e.event)) s[e.subscriber].subscribes.push(e.event);
      break;
    case 'remove-event':
      state.events = state.events.filter((x) => x !== e.event);
      for (const svc of Object.values(s)) {
        svc.publishes = svc.publishes.filter((x) => x !== e.event);
        svc.subscribes = svc.subscribes.filter((x) => x !== e.event);
      }
      break;
    case 'user-edit':
      break;
  }
}

function specText(state: SpecState): string {
  const services: Record<string, unknown> = {};
  for (const [name, svc] of Object.entries(state.services)) {
    services[name] = {
      operations: Object.fromEntries(svc.ops.map((op) => [op, { http: `GET /${op}`, responses: { 200: { ok: 'boolean' } } }])),
      ...(svc.publishes.length ? { publishes: svc.publishes.filter((e) => state.events.includes(e)) } : {}),
      ...(svc.subscribes.length ? { subscribes: svc.subscribes.filter((e) => state.events.includes(e)).map((event) => ({ event })) } : {}),
    };
  }
  const events = Object.fromEntries(state.events.map((e) => [e, { payload: { id: 'string' } }]));
  return stringify({ microgen: 1, name: 'prop', services, ...(state.events.length ? { events } : {}) });
}

const START: SpecState = { services: { alpha: { ops: ['getThing'], publishes: [], subscribes: [] } }, events: [] };

let base: string;
/** START generated (and checked settled): every run begins with a copy of it. */
let start: string;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'prop-'));
  start = mkdtempSync(join(base, 'start-'));
  writeFileSync(join(start, 'microgen.yaml'), specText(START));
  await generateIn(start);
  await expectSettled(start);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('generate under random spec edits and user edits', () => {
  it('never loses a user edit; check passes; a second generate is a no-op', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 6 }), async (edits) => {
        const dir = mkdtempSync(join(base, 'run-'));
        cpSync(start, dir, { recursive: true });
        const state: SpecState = structuredClone(START);
        const markers: { path: string; text: string }[] = [];
        let spec = specText(state);
        let userEdited = false;
        for (const e of edits) {
          if (e.kind === 'user-edit') {
            const names = Object.keys(state.services).sort();
            const service = names[e.service % names.length];
            const path = join(dir, 'services', service, 'src', e.file === 'main' ? 'main.ts' : `handlers/${e.file}.ts`);
            if (!existsSync(path)) continue;
            const text = readFileSync(path, 'utf8');
            const marker = `userMarker${++counter}`;
            const classEnd = text.lastIndexOf('\n}');
            const edited =
              e.style === 'member' && e.file !== 'main' && classEnd > 0
                ? `${text.slice(0, classEnd)}\n\n  ${marker}(): number {\n    return ${counter};\n  }${text.slice(classEnd)}`
                : `${text}// ${marker}\n`;
            writeFileSync(path, edited);
            markers.push({ path, text: marker });
            userEdited = true;
            continue;
          }
          applyEdit(state, e);
          // Same spec, same files: the last check already ran on exactly this state.
          if (specText(state) === spec && !userEdited) continue;
          spec = specText(state);
          userEdited = false;
          writeFileSync(join(dir, 'microgen.yaml'), spec);
          await generateIn(dir);
          for (const m of markers) expect(readFileSync(m.path, 'utf8'), m.path).toContain(m.text);
          await expectSettled(dir);
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  }, 300_000);
});
