/**
 * Ports never move by themselves (issue 11): adding, removing and reordering services, with and
 * without `port:`, never changes another service's port silently. Either the spec is refused (an
 * error, the spec untouched) or `generate` warns, naming the service, the cause and how to pin it.
 * Each scenario generates a system, edits the spec, generates again, and compares every
 * service's port in the two models with the warnings printed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portMoves, portsOf } from '../../src/apply/ports.js';
import { lintText } from '../../src/lint.js';
import type { SystemModel } from '../../src/model/types.js';
import { runCli } from '../helpers/io.js';
import { untouched } from '../scaffold/helpers.js';

const HEAD = 'microgen: 1\nname: ports\n';
const spec = (services: string, gateway = ''): string => `${HEAD}services:\n${services}${gateway}`;
const modelOf = (text: string): SystemModel => {
  const r = lintText('microgen.yaml', text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
};

const BASE = spec('  a: {}\n  b: {}\n  c: { port: 8010 }\n  d: {}\n');

interface Scenario {
  name: string;
  before?: string;
  after: string;
  /** The cause each moved service's warning names. */
  causes: Record<string, RegExp>;
}

const SCENARIOS: Scenario[] = [
  { name: 'an implicit service added first', after: spec('  x: {}\n  a: {}\n  b: {}\n  c: { port: 8010 }\n  d: {}\n'), causes: { a: /service x was added before it/, b: /service x was added before it/, d: /service x was added before it/ } },
  { name: 'a service with a port added in the middle', after: spec('  a: {}\n  x: { port: 9100 }\n  b: {}\n  c: { port: 8010 }\n  d: {}\n'), causes: { b: /service x was added before it/, d: /service x was added before it/ } },
  { name: 'a service added at the end', after: spec('  a: {}\n  b: {}\n  c: { port: 8010 }\n  d: {}\n  x: {}\n'), causes: {} },
  { name: 'the first service removed', after: spec('  b: {}\n  c: { port: 8010 }\n  d: {}\n'), causes: { b: /service a was removed before it/, d: /service a was removed before it/ } },
  { name: 'a service with a port removed', after: spec('  a: {}\n  b: {}\n  d: {}\n'), causes: { d: /service c was removed before it/ } },
  { name: 'two services swapped', after: spec('  b: {}\n  a: {}\n  c: { port: 8010 }\n  d: {}\n'), causes: { a: /the services were reordered/, b: /the services were reordered/ } },
  { name: "a service's port: removed", after: spec('  a: {}\n  b: {}\n  c: {}\n  d: {}\n'), causes: { c: /because its port: was removed; put back port: 8010 to keep it/ } },
  { name: 'a declared port changed', after: spec('  a: {}\n  b: {}\n  c: { port: 8011 }\n  d: {}\n'), causes: { c: /as its port: says/ } },
  { name: "the gateway's port changed", after: spec('  a: {}\n  b: {}\n  c: { port: 8010 }\n  d: {}\n', 'gateway:\n  port: 8002\n'), causes: { b: /the gateway's port changed/, d: /the gateway's port changed/ } },
];

describe('generate warns about every port that moved, naming the cause and how to pin it', () => {
  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
      const file = join(dir, 'microgen.yaml');
      const before = sc.before ?? BASE;
      writeFileSync(file, before);
      const first = await runCli(['generate'], dir);
      expect(first.code).toBe(0);
      expect(first.stderr).not.toMatch(/port-moved/);
      writeFileSync(file, sc.after);
      const second = await runCli(['generate'], dir);
      expect(second.code, second.stderr).toBe(0);
      // Every service whose port differs is warned about; no other.
      const old = new Map(modelOf(before).services.map((s) => [s.name, s.port]));
      const moved = modelOf(sc.after).services.filter((s) => old.has(s.name) && old.get(s.name) !== s.port);
      expect(moved.map((s) => s.name).sort()).toEqual(Object.keys(sc.causes).sort());
      const warnings = second.stderr.split('\n').filter((l) => l.includes('warning port-moved'));
      expect(warnings).toHaveLength(moved.length);
      for (const s of moved) {
        const line = warnings.find((w) => w.includes(`port of ${s.name} changed ${old.get(s.name)} → ${s.port}`));
        expect(line, `${s.name} in:\n${second.stderr}`).toBeDefined();
        expect(line).toMatch(sc.causes[s.name]);
        if (!s.portDeclared && !/port: was removed/.test(line!)) expect(line).toMatch(new RegExp(`pin it with port: ${old.get(s.name)}$`));
      }
      // Warned once: the manifest now records the new ports.
      writeFileSync(file, `${sc.after}# touched\n`);
      expect((await runCli(['generate'], dir)).stderr).not.toMatch(/port-moved/);
    }, 30_000);
  }
});

describe('the manifest records the ports in spec order; it warns, never decides', () => {
  it('the same spec gives the same ports whatever the manifest says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
    writeFileSync(join(dir, 'microgen.yaml'), BASE);
    expect((await runCli(['generate'], dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, '.microgen/manifest.json'), 'utf8')) as { ports: unknown };
    expect(manifest.ports).toEqual([
      { service: 'a', port: 8001, implicit: true },
      { service: 'b', port: 8002, implicit: true },
      { service: 'c', port: 8010 },
      { service: 'd', port: 8004, implicit: true },
    ]);
    // A manifest that says otherwise changes nothing generated; it only leads to warnings.
    const fresh = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
    writeFileSync(join(fresh, 'microgen.yaml'), BASE);
    expect((await runCli(['generate'], fresh)).code).toBe(0);
    expect(readFileSync(join(fresh, '.env.example'), 'utf8')).toBe(readFileSync(join(dir, '.env.example'), 'utf8'));
    expect(portMoves(undefined, modelOf(BASE))).toEqual([]);
    expect(portMoves([{ service: 'a', port: 8005, implicit: true }], modelOf(BASE)).map((f) => f.message)).toEqual(['port of a changed 8005 → 8001 because it has no port: and the gateway\'s port changed; pin it with port: 8005']);
  }, 30_000);
});

describe('a declared port equal to an implicit one is refused, naming both', () => {
  it('add service --port on the port another service gets implicitly: exit 1, the spec untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
    const file = join(dir, 'microgen.yaml');
    writeFileSync(file, spec('  payments: {}\n  orders: {}\n'));
    const kept = untouched(file);
    const r = await runCli(['add', 'service', 'shipping', '--port', '8001', '--no-generate'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error duplicate-port: service shipping uses port 8001, which service payments gets implicitly \(it has no port:\); give payments an explicit port: 8001 and pick another for shipping/,
    );
    expect(r.stderr).toMatch(/was not changed/);
    kept.check();
  });

  it('add service without --port writes the next free port, so nothing moves now or later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
    const file = join(dir, 'microgen.yaml');
    writeFileSync(file, spec('  payments: {}\n  orders: { port: 8003 }\n'));
    const before = modelOf(readFileSync(file, 'utf8')).services.map((s) => s.port);
    const r = await runCli(['add', 'service', 'shipping', '--no-generate'], dir);
    expect(r.code, r.stderr).toBe(0);
    // Its own place (8003) is taken by orders: the lowest free port.
    expect(r.stdout).toMatch(/added service shipping \(port 8002\)/);
    const after = modelOf(readFileSync(file, 'utf8'));
    expect(after.services.map((s) => s.port)).toEqual([...before, 8002]);
    expect(after.services[2].portDeclared).toBe(true);
  });

  it('generate refuses a spec where a declared port takes an implicit one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-ports-'));
    writeFileSync(join(dir, 'microgen.yaml'), spec('  payments: {}\n  shipping: { port: 8001 }\n'));
    const r = await runCli(['generate'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/microgen\.yaml:5:\d+: error duplicate-port: service shipping uses port 8001, which service payments gets implicitly/);
  });
});

describe('property: random adds, removals, reorders and port edits never move a port silently', () => {
  type Entry = { name: string; port?: number };
  type Step =
    | { kind: 'add'; at: number; port?: number }
    | { kind: 'remove'; at: number }
    | { kind: 'swap'; at: number }
    | { kind: 'pin'; at: number; port: number }
    | { kind: 'unpin'; at: number }
    | { kind: 'gateway'; port: number };
  const port = fc.integer({ min: 7999, max: 8012 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), at: fc.nat(), port: fc.option(port, { nil: undefined }) }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('pin' as const), at: fc.nat(), port }),
    fc.record({ kind: fc.constant('unpin' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('gateway' as const), port }),
  );
  const textOf = (services: Entry[], gateway: number): string =>
    `${HEAD}services:\n${services.map((s) => `  ${s.name}: {${s.port !== undefined ? ` port: ${s.port} ` : ''}}\n`).join('')}gateway:\n  port: ${gateway}\n`;

  it('each accepted spec warns exactly about the services whose port changed, with a cause', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        let services: Entry[] = [{ name: 's0' }, { name: 's1' }, { name: 's2', port: 8010 }];
        let gateway = 8000;
        let model = modelOf(textOf(services, gateway));
        let fresh = 3;
        for (const st of steps) {
          const next = services.map((s) => ({ ...s }));
          let nextGateway = gateway;
          const i = next.length && st.kind !== 'gateway' ? st.at % next.length : 0;
          if (st.kind === 'add') next.splice(st.at % (next.length + 1), 0, { name: `s${fresh++}`, ...(st.port !== undefined ? { port: st.port } : {}) });
          else if (st.kind === 'gateway') nextGateway = st.port;
          else if (st.kind === 'remove' && next.length === 1) continue; // a spec keeps at least one service
          else if (st.kind === 'remove') next.splice(i, 1);
          else if (st.kind === 'swap') next.splice(i, 2, ...next.slice(i, i + 2).reverse());
          else if (st.kind === 'pin') next[i].port = st.port;
          else delete next[i].port;
          const result = lintText('microgen.yaml', textOf(next, nextGateway));
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          if (errors.length) {
            // Refused: every error is a port clash that names the services involved.
            for (const e of errors) expect(e.rule).toBe('duplicate-port');
            continue;
          }
          const after = result.model!;
          const old = new Map(model.services.map((s) => [s.name, s.port]));
          const moved = after.services.filter((s) => old.has(s.name) && old.get(s.name) !== s.port).map((s) => s.name);
          const warned = portMoves(portsOf(model), after);
          expect(warned.map((f) => f.message.split(' ')[2]).sort()).toEqual(moved.sort());
          for (const f of warned) expect(f.message).toMatch(/^port of \S+ changed \d+ → \d+ (because|as its port: says)/);
          services = next;
          gateway = nextGateway;
          model = after;
        }
      }),
      { numRuns: 200 },
    );
  });
});
