/**
 * Property (issue 11, "Must hold"): random sequences of spec edits that rename operations (on
 * the same method and path, or moved with `renamedFrom`), event handlers and saga steps (the
 * event a step reacts to), interleaved with user edits that implement members and add lines;
 * after each `generate`
 *   - no user-written line is lost,
 *   - every implemented member carries its body under its current name (fallbacks of a renamed
 *     operation included),
 *   - `check` finds nothing stale and the manifest is settled.
 * Through the engine API; few runs (each rename loads ts-morph), edits chosen to matter.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSettled, generateIn } from '../helpers/engine.js';
import { pascalCase } from '../../src/model/names.js';

interface Op {
  name: string;
  path: string;
  renamedFrom?: string;
}
interface Sub {
  event: string;
  handler: string;
}
interface State {
  ops: Op[];
  subs: Sub[];
  /** The event the saga starts with, which alpha's implied handler reacts to. */
  sagaEvent: string;
  fresh: number;
}

/** Where a member lives: file and name. */
interface Member {
  service: 'alpha' | 'beta';
  file: 'operations' | 'events' | 'fallbacks';
  name: string;
}

type Edit =
  | { kind: 'rename-op'; i: number; moved: boolean }
  | { kind: 'add-op' }
  | { kind: 'remove-op'; i: number }
  | { kind: 'rename-handler'; i: number }
  | { kind: 'rename-saga-step' }
  | { kind: 'implement'; which: number }
  | { kind: 'add-line'; file: 'operations' | 'events' | 'fallbacks' };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename-op' as const), i: fc.nat(3), moved: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'add-op' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove-op' as const), i: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename-handler' as const), i: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'rename-saga-step' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('implement' as const), which: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-line' as const), file: fc.constantFrom('operations' as const, 'events' as const, 'fallbacks' as const) }) },
);

const handlerOf = (event: string) => `on${pascalCase(event)}`;

function specText(s: State): string {
  const operations = Object.fromEntries(
    s.ops.map((op) => [op.name, { ...(op.renamedFrom ? { renamedFrom: op.renamedFrom } : {}), http: `GET ${op.path}`, responses: { 200: { ok: 'boolean' } } }]),
  );
  const events = Object.fromEntries([...s.subs.map((x) => x.event), s.sagaEvent, 'flow.done'].map((e) => [e, { payload: { id: 'string' } }]));
  return stringify({
    microgen: 1,
    name: 'renames',
    services: {
      alpha: { operations, subscribes: s.subs.map((x) => ({ event: x.event, handler: x.handler })) },
      beta: { operations: { ping: { http: 'GET /ping', responses: { 200: { ok: 'boolean' } } } }, calls: { alpha: { fallback: true } }, publishes: [...s.subs.map((x) => x.event), s.sagaEvent] },
    },
    events,
    sagas: { flow: { style: 'choreography', start: s.sagaEvent, steps: [{ when: s.sagaEvent, service: 'alpha', emits: 'flow.done' }] } },
  });
}

/** Every member the spec asks for now. */
function members(s: State): Member[] {
  return [
    ...s.ops.map((op): Member => ({ service: 'alpha', file: 'operations', name: op.name })),
    ...s.subs.map((x): Member => ({ service: 'alpha', file: 'events', name: x.handler })),
    { service: 'alpha', file: 'events', name: handlerOf(s.sagaEvent) },
    ...s.ops.map((op): Member => ({ service: 'beta', file: 'fallbacks', name: `alpha${pascalCase(op.name)}` })),
  ];
}

const fileOf = (dir: string, m: Pick<Member, 'service' | 'file'>) => join(dir, 'services', m.service, 'src', 'handlers', `${m.file}.ts`);

/** The text of method `name` in a handler file, from its head to its closing brace. */
function methodText(text: string, name: string): string | undefined {
  const start = text.indexOf(`override async ${name}(`);
  if (start < 0) return undefined;
  return text.slice(start, text.indexOf('\n  }\n', start));
}

let base: string;
beforeAll(() => void (base = mkdtempSync(join(tmpdir(), 'rename-prop-'))));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const generate = generateIn;

/** Renames `from` → `to` in the bookkeeping of implemented members. */
function follow(impl: Map<string, string>, m: Pick<Member, 'service' | 'file'>, from: string, to: string): void {
  const key = `${m.service}/${m.file}/${from}`;
  const marker = impl.get(key);
  if (marker === undefined) return;
  impl.delete(key);
  impl.set(`${m.service}/${m.file}/${to}`, marker);
}

describe('generate under random renames and user edits', () => {
  it('keeps every user line, and renamed members carry their bodies', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 2, maxLength: 7 }), async (edits) => {
        const dir = mkdtempSync(join(base, 'run-'));
        const s: State = { ops: [{ name: 'getThing', path: '/things' }, { name: 'listStuff', path: '/stuff' }], subs: [{ event: 'thing.made', handler: 'onMade' }, { event: 'thing.gone', handler: 'onGone' }], sagaEvent: 'flow.started', fresh: 0 };
        /** `service/file/member` → the marker line its body holds. */
        const impl = new Map<string, string>();
        /** Lines the user added: file → lines. */
        const lines: { path: string; text: string }[] = [];
        writeFileSync(join(dir, 'microgen.yaml'), specText(s));
        await generate(dir);
        for (const e of edits) {
          const name = () => `renamed${++s.fresh}`;
          switch (e.kind) {
            case 'implement': {
              const all = members(s);
              const m = all[e.which % all.length];
              const path = fileOf(dir, m);
              const text = readFileSync(path, 'utf8');
              const method = methodText(text, m.name);
              if (!method || impl.has(`${m.service}/${m.file}/${m.name}`)) continue;
              const marker = `// body ${++counter} of ${m.name}`;
              const body = m.file === 'operations' ? `${marker}\n    return { status: 200, body: { ok: true } };` : m.file === 'fallbacks' ? `${marker}\n    throw error;` : `${marker}\n    void message;`;
              const head = method.slice(0, method.indexOf('{\n') + 2);
              writeFileSync(path, text.replace(method, `${head}    ${body}`));
              impl.set(`${m.service}/${m.file}/${m.name}`, marker);
              continue;
            }
            case 'add-line': {
              const path = fileOf(dir, { service: e.file === 'fallbacks' ? 'beta' : 'alpha', file: e.file });
              const text = `// user line ${++counter}`;
              writeFileSync(path, `${readFileSync(path, 'utf8')}${text}\n`);
              lines.push({ path, text });
              continue;
            }
            case 'rename-op': {
              const op = s.ops[e.i % s.ops.length];
              const to = name();
              follow(impl, { service: 'alpha', file: 'operations' }, op.name, to);
              follow(impl, { service: 'beta', file: 'fallbacks' }, `alpha${pascalCase(op.name)}`, `alpha${pascalCase(to)}`);
              if (e.moved) {
                op.renamedFrom = op.name;
                op.path = `/moved${s.fresh}`;
              }
              op.name = to;
              break;
            }
            case 'add-op':
              s.ops.push({ name: name(), path: `/added${s.fresh}` });
              break;
            case 'remove-op':
              // The member stays in the user's file (orphaned), with its body.
              if (s.ops.length > 1) s.ops.splice(e.i % s.ops.length, 1);
              break;
            case 'rename-handler': {
              const sub = s.subs[e.i % s.subs.length];
              const to = `on${pascalCase(name())}`;
              follow(impl, { service: 'alpha', file: 'events' }, sub.handler, to);
              sub.handler = to;
              break;
            }
            case 'rename-saga-step': {
              const to = `flow.started${++s.fresh}`;
              follow(impl, { service: 'alpha', file: 'events' }, handlerOf(s.sagaEvent), handlerOf(to));
              s.sagaEvent = to;
              break;
            }
          }
          writeFileSync(join(dir, 'microgen.yaml'), specText(s));
          await generate(dir);
          for (const l of lines) expect(readFileSync(l.path, 'utf8'), l.path).toContain(l.text);
          const current = new Set(members(s).map((m) => `${m.service}/${m.file}/${m.name}`));
          for (const [key, marker] of impl) {
            const [service, file, member] = key.split('/') as [Member['service'], Member['file'], string];
            const text = readFileSync(fileOf(dir, { service, file }), 'utf8');
            // No body is lost; a member the spec still has carries it under its current name.
            expect(text, key).toContain(marker);
            if (current.has(key)) expect(methodText(text, member), key).toContain(marker);
          }
          await expectSettled(dir);
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});
