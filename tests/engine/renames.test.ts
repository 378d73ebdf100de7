/**
 * Renames keep the user's code: the one detector (src/plan/renames.ts) on its own, and
 * `generate` renaming members in the user's handler files (src/apply/renames.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintBytes } from '../../src/lint.js';
import type { SystemModel } from '../../src/model/types.js';
import { detectRenames, hintText, membersOfRecord, recordMembers, userMembers } from '../../src/plan/renames.js';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';

const SHOP = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8');
const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), 'utf8');

function model(text: string): SystemModel {
  const result = lintBytes('spec.yaml', Buffer.from(text));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.model || errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  return result.model;
}

/** Replaces `from` (exactly once) by `to`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`fixture edit: ${JSON.stringify(from)} not found once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const renamesOf = (before: string, after: string) => detectRenames(userMembers(model(before)), userMembers(model(after)));
const short = (r: { service: string; kind: string; from: { name: string }; to: { name: string }; explicit: boolean }) =>
  `${r.kind} ${r.service}.${r.from.name} → ${r.to.name}${r.explicit ? ' (renamedFrom)' : ''}`;

describe('the rename detector', () => {
  it('an operation renamed on the same method and path, and the fallback that calls it', () => {
    const { renames, hints } = renamesOf(SHOP, edit(SHOP, '      getUser:\n', '      fetchUser:\n').replace('operations: [getUser]', 'operations: [fetchUser]'));
    expect(renames.map(short)).toEqual(['operation user.getUser → fetchUser', 'fallback order.userGetUser → userFetchUser']);
    expect(hints).toEqual([]);
  });

  it('a moved and renamed operation is a rename only with renamedFrom; without it, a hint', () => {
    const moved = edit(SHOP, '      getProduct:\n        http: GET /products/{id}', '      fetchProduct:\n        http: GET /items/{id}');
    const silent = renamesOf(SHOP, moved);
    expect(silent.renames).toEqual([]);
    expect(silent.hints.map(hintText)).toEqual(['product: if `getProduct` was renamed to `fetchProduct`, add `renamedFrom: getProduct` to the operation `fetchProduct` to keep its code']);
    const said = renamesOf(SHOP, edit(moved, '      fetchProduct:\n', '      fetchProduct:\n        renamedFrom: getProduct\n'));
    expect(said.renames.map(short)).toEqual(['operation product.getProduct → fetchProduct (renamedFrom)']);
    expect(said.hints).toEqual([]);
  });

  it('a subscription handler renamed on the same pattern', () => {
    const { renames } = renamesOf(SHOP, edit(SHOP, 'handler: sendWelcome', 'handler: welcomeUser'));
    expect(renames.map(short)).toEqual(['handler notification.sendWelcome → welcomeUser']);
  });

  it('a subscription whose event changed with its default handler needs renamedFrom', () => {
    const before = edit(SHOP, '      - event: user.registered\n        handler: sendWelcome', '      - event: user.registered');
    const after = edit(SHOP, '      - event: user.registered\n        handler: sendWelcome', '      - event: user.*');
    expect(renamesOf(before, after).renames).toEqual([]);
    expect(renamesOf(before, after).hints.map((h) => `${h.from} → ${h.to.join()}`)).toEqual(['onUserRegistered → onUserAny']);
    const said = edit(SHOP, '      - event: user.registered\n        handler: sendWelcome', '      - event: user.*\n        renamedFrom: onUserRegistered');
    expect(renamesOf(before, said).renames.map(short)).toEqual(['handler notification.onUserRegistered → onUserAny (renamedFrom)']);
  });

  it('a saga step whose event changed: same saga, same position, same service', () => {
    // The first step of fulfil-order reacts to order.completed in inventory (onOrderCompleted).
    const after = SHOP.replaceAll('order.completed', 'order.finished');
    const { renames } = renamesOf(SHOP, after);
    expect(renames.map(short)).toContain('handler inventory.onOrderCompleted → onOrderFinished');
  });

  it('two candidates with one identity are ambiguous: no guess, a hint', () => {
    const spec = `microgen: 1
name: t
services:
  a:
    subscribes:
      - { event: x.happened, handler: first }
      - { event: x.happened, handler: second }
events:
  x.happened: { payload: { id: string } }
`;
    // Two handlers of one pattern: the first's identity is shared by both new names.
    const after = spec.replace('handler: first', 'handler: one').replace('handler: second', 'handler: two');
    const { renames, hints } = renamesOf(spec, after);
    expect(renames).toEqual([]);
    expect(hints.map((h) => `${h.from} → ${h.to.join(', ')}`)).toEqual(['first → one, two', 'second → one, two']);
  });

  it('the manifest record round-trips what the detector needs', () => {
    const members = userMembers(model(SHOP));
    expect(membersOfRecord(recordMembers(members)).map(({ renamedFrom, ...m }) => m).sort((a, b) => (a.service + a.key < b.service + b.key ? -1 : 1))).toEqual(
      members.map(({ renamedFrom, ...m }) => m).sort((a, b) => (a.service + a.key < b.service + b.key ? -1 : 1)),
    );
  });
});

describe('generate keeps the code of renamed members', () => {
  let dir: string;
  let spec: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'renames-'));
    spec = join(dir, 'microgen.yaml');
    writeFileSync(spec, MINIMAL);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const OPS = 'services/greeter/src/handlers/operations.ts';
  const EVENTS = 'services/greeter/src/handlers/events.ts';
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  const IMPLEMENTED = `  /** Greets by name. */
  override async greet(request: Op.GreetRequest): Promise<Op.GreetReply> {
    // Say hello politely.
    const message = \`Hello, \${request.body.name}!\`;
    return { status: 201, body: { message } };
  }

  /** Greets twice: a call site of greet. */
  async greetTwice(request: Op.GreetRequest): Promise<Op.GreetReply> {
    await this.greet(request);
    return this.greet(request);
  }`;

  async function implement(): Promise<void> {
    expect((await runCli(['generate', spec])).code).toBe(0);
    const text = read(OPS);
    const start = text.indexOf('  override async greet(');
    const end = text.indexOf('  }\n', start) + 3;
    writeFileSync(join(dir, OPS), text.slice(0, start) + IMPLEMENTED + text.slice(end));
  }

  it('an operation renamed in the spec: the method, its comments, body and call sites follow; no 501 stub', async () => {
    await implement();
    writeFileSync(join(dir, 'services/greeter/src/twice.ts'), "import type { Operations } from './handlers/operations.js';\n\nexport const twice = (ops: Operations) => ops.greet({ body: { name: 'a' } } as never);\n");
    writeFileSync(spec, edit(MINIMAL, '      greet:\n', '      sendGreeting:\n'));
    const run = await runCli(['generate', spec]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('renamed greeter.greet → sendGreeting');
    const text = read(OPS);
    expect(text).toContain(
      IMPLEMENTED.replaceAll('async greet(', 'async sendGreeting(')
        .replaceAll('this.greet(', 'this.sendGreeting(')
        .replaceAll('Op.GreetRequest', 'Op.SendGreetingRequest')
        .replaceAll('Op.GreetReply', 'Op.SendGreetingReply'),
    );
    expect(text).not.toContain('NotImplemented(');
    expect(text).not.toMatch(/\bgreet\(/);
    expect(read('services/greeter/src/twice.ts')).toContain('ops.sendGreeting(');
    const manifest = JSON.parse(read('.microgen/manifest.json'));
    expect(manifest.files[OPS].stubs).toEqual(['operation:sendGreeting']);
    expect((await runCli(['check', spec])).code).toBe(0);
    const again = await runCli(['generate', spec]);
    expect(again.stdout).not.toContain('renamed');
  });

  it('--dry-run and check show the rename and write nothing', async () => {
    await implement();
    const before = read(OPS);
    writeFileSync(spec, edit(MINIMAL, '      greet:\n', '      sendGreeting:\n'));
    const dry = await runCli(['generate', spec, '--dry-run']);
    expect(dry.stdout).toContain('renamed greeter.greet → sendGreeting');
    expect(dry.stdout).toContain('+  override async sendGreeting(request: Op.SendGreetingRequest)');
    const check = await runCli(['check', spec]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`stale ${OPS} (would rename)`);
    expect(read(OPS)).toBe(before);
  });

  it('a handler renamed with its event by renamedFrom; without it the old behaviour and a hint', async () => {
    expect((await runCli(['generate', spec])).code).toBe(0);
    writeFileSync(join(dir, EVENTS), read(EVENTS).replace("throw new NotImplemented('onGreetingSent');", '// log it\n    console.log(message.payload.name);'));
    const renamed = MINIMAL.replaceAll('greeting.sent', 'greeting.delivered').replace('handler: onGreetingSent', 'handler: onGreetingDelivered');
    writeFileSync(spec, renamed);
    const dry = JSON.parse((await runCli(['generate', spec, '--dry-run', '--json'])).stdout);
    expect(dry.actions.map((a: { kind: string }) => a.kind)).toContain('stub');
    expect(dry.renamed).toEqual([]);
    expect(dry.hints).toEqual([expect.stringContaining('add `renamedFrom: onGreetingSent` to the subscription (or saga step) of `onGreetingDelivered`')]);
    const plain = await runCli(['generate', spec, '--dry-run']);
    expect(plain.stdout).toContain('hint    greeter: if `onGreetingSent` was renamed to `onGreetingDelivered`, add `renamedFrom: onGreetingSent`');
    writeFileSync(spec, renamed.replace('handler: onGreetingDelivered', 'handler: onGreetingDelivered\n        renamedFrom: onGreetingSent'));
    const run = await runCli(['generate', spec, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).renamed).toEqual([{ service: 'greeter', kind: 'handler', from: 'onGreetingSent', to: 'onGreetingDelivered' }]);
    const text = read(EVENTS);
    expect(text).toContain('override async onGreetingDelivered(message: Ev.OnGreetingDeliveredMessage): Promise<void> {\n    // log it\n    console.log(message.payload.name);');
    expect(text).not.toContain('onGreetingSent');
  });

  it('a member the user already removed is left alone: the new name gets a stub', async () => {
    expect((await runCli(['generate', spec])).code).toBe(0);
    const text = read(OPS);
    writeFileSync(join(dir, OPS), text.slice(0, text.indexOf('  override async greet(')) + '}\n');
    writeFileSync(spec, edit(MINIMAL, '      greet:\n', '      sendGreeting:\n'));
    const run = await runCli(['generate', spec]);
    expect(run.stdout).not.toContain('renamed greeter');
    expect(read(OPS)).toContain("throw new NotImplemented('sendGreeting');");
  });

  it('a handler file that does not parse is left as it is', async () => {
    expect((await runCli(['generate', spec])).code).toBe(0);
    const broken = read(OPS).replace('export class Operations extends OperationHandlers {', 'export class Operations extends OperationHandlers {\n  oops(: {');
    writeFileSync(join(dir, OPS), broken);
    writeFileSync(spec, edit(MINIMAL, '      greet:\n', '      sendGreeting:\n'));
    const run = await runCli(['generate', spec, '--dry-run']);
    expect(run.stdout).not.toContain('renamed greeter');
    expect(read(OPS)).toBe(broken);
  });
});
