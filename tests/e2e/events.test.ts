/**
 * Events between generated services, each a real process, over the RabbitMQ that
 * scripts/start-services.sh starts: typed delivery, pattern subscriptions, no delivery to a
 * service that did not subscribe, retries then the dead-letter queue (and `npm run dlq`), a
 * malformed message, a consumer killed with SIGKILL mid-stream, the topology the AsyncAPI
 * document describes, an event kept for a subscriber that had never run, and the compiler's view
 * of `this.ctx.publish`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asyncApiDocument } from '../../src/export/asyncapi.js';
import { lintFile } from '../../src/lint.js';
import { health, waitFor, type ServiceProcess } from '../helpers/service-process.js';
import { buildSystem } from '../helpers/system.js';
import { deleteQueues, dropDatabases, EVENTS_SPEC, eventsSystem, freshDatabase, getJson, query, SHARED_BROKER, startService, type Seen } from './events-system.js';

const QUEUES = ['notifier.onOrder', 'auditor.onUserJoined', 'ledger.onTick'];
const running: ServiceProcess[] = [];
let dir: string;

beforeAll(async () => {
  dir = await eventsSystem();
  await deleteQueues(SHARED_BROKER, QUEUES);
}, 600_000);

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
});

afterAll(async () => {
  await deleteQueues(SHARED_BROKER, QUEUES);
  await dropDatabases();
});

async function start(service: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const p = await startService(dir, service, { BROKER_URL: SHARED_BROKER, ...env });
  running.push(p);
  return p;
}

const post = (service: ServiceProcess, path: string, body: unknown) =>
  fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-req-1' }, body: JSON.stringify(body) });

function npmRun(args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync('npm', ['run', '--silent', 'dlq', '--', ...args], { cwd: dir, env: { ...process.env, BROKER_URL: SHARED_BROKER }, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('events between generated services', () => {
  it('deliver the typed payload to the subscriber, every event matching a pattern, and nothing to a service that did not subscribe', async () => {
    const notifier = await start('notifier');
    const auditor = await start('auditor');
    const orders = await start('orders', { DATABASE_URL: await freshDatabase('orders') });
    for (const s of [notifier, auditor, orders]) await waitFor(async () => ((await health(s)).status === 200 ? true : undefined), 15_000, 'healthy');
    expect((await health(notifier)).body).toMatchObject({ status: 'ok', checks: { broker: 'up' } });

    expect((await post(orders, '/orders', { orderId: 'o-1', total: 12.5 })).status).toBe(201);
    expect((await post(orders, '/orders', { orderId: 'o-2', total: 0 })).status).toBe(201);

    const seen = await waitFor(async () => {
      const s = await getJson<Seen[]>(notifier, '/seen');
      return s.length >= 2 ? s : undefined;
    }, 15_000, 'the notifier to see both orders');
    expect(seen.map((m) => [m.name, m.version, JSON.parse(m.payload)])).toEqual(
      expect.arrayContaining([
        ['order.placed', 2, { orderId: 'o-1', total: 12.5 }],
        ['order.placed', 2, { orderId: 'o-2', total: 0 }],
      ]),
    );
    const audited = await waitFor(async () => {
      const s = await getJson<Seen[]>(auditor, '/seen');
      return s.length >= 1 ? s : undefined;
    }, 15_000, 'the auditor to see user.joined');
    await new Promise((r) => setTimeout(r, 500));
    // The auditor subscribed to user.joined only; the notifier's order.* does not match it.
    expect((await getJson<Seen[]>(auditor, '/seen')).map((m) => m.name)).toEqual(['user.joined']);
    expect((await getJson<Seen[]>(notifier, '/seen')).map((m) => m.name)).toEqual(['order.placed', 'order.placed']);
    expect(JSON.parse(audited[0].payload)).toEqual({ userId: 1 });
  }, 120_000);

  it('retry a failing handler with delays, then dead-letter it with the reason; npm run dlq lists and re-queues it', async () => {
    const notifier = await start('notifier');
    const orders = await start('orders', { DATABASE_URL: await freshDatabase('orders') });
    await waitFor(async () => ((await health(notifier)).status === 200 ? true : undefined), 15_000, 'healthy');
    expect((await post(orders, '/orders', { orderId: 'bad', total: -1 })).status).toBe(201);

    const listed = await waitFor(() => {
      const run = npmRun(['list', 'notifier.onOrder']);
      return run.out.includes('1 dead letter(s)') ? run : undefined;
    }, 20_000, 'the dead letter');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('order.placed');
    expect(listed.out).toContain('after 3 attempt(s)');
    expect(listed.out).toContain('onOrder failed: negative total -1');
    // The log arrives through a pipe: wait for it rather than read it at once.
    const out = await waitFor(() => (notifier.output().includes('dead-lettered after 3 attempt(s)') ? notifier.output() : undefined), 5_000, 'the log');
    expect(out).toContain('retrying in 100ms');
    expect(out).toContain('retrying in 200ms');

    const json = JSON.parse(npmRun(['list', '--json']).out) as { queue: string; count: number }[];
    expect(json.map((r) => [r.queue, r.count])).toEqual([['notifier.onOrder', 1], ['auditor.onUserJoined', 0], ['ledger.onTick', 0]]);

    // Re-queued, it fails again (the handler is unchanged), three attempts later it is back.
    expect(npmRun(['retry', 'notifier.onOrder']).out).toContain('notifier.onOrder: 1 message(s) re-queued');
    await waitFor(() => (npmRun(['list', 'notifier.onOrder']).out.includes('1 dead letter(s)') ? true : undefined), 20_000, 'the dead letter again');
    expect(npmRun(['list', 'nowhere.q']).code).toBe(2);
  }, 120_000);

  it('dead-letter a malformed message at once, and keep consuming', async () => {
    const notifier = await start('notifier');
    await waitFor(async () => ((await health(notifier)).status === 200 ? true : undefined), 15_000, 'healthy');
    const model = await connect(SHARED_BROKER);
    const channel = await model.createConfirmChannel();
    channel.publish('ev', 'order.placed', Buffer.from('{"orderId": 7, "total": 1}'), { messageId: 'broken-1', type: 'order.placed', persistent: true });
    channel.publish('ev', 'order.cancelled', Buffer.from('{"orderId": "fine"}'), { messageId: 'fine-1', type: 'order.cancelled', persistent: true });
    await channel.waitForConfirms();
    await model.close();
    const seen = await waitFor(async () => {
      const s = await getJson<Seen[]>(notifier, '/seen');
      return s.length >= 1 ? s : undefined;
    }, 15_000, 'the good message');
    expect(seen.map((m) => m.id)).toEqual(['fine-1']);
    const listed = await waitFor(() => {
      const run = npmRun(['list', 'notifier.onOrder', '--json']);
      const [report] = JSON.parse(run.out) as { messages: { id: string; reason: string; attempts: number }[] }[];
      return report.messages.some((m) => m.id === 'broken-1') ? report : undefined;
    }, 15_000, 'the malformed message in the dead-letter queue');
    const broken = listed.messages.find((m) => m.id === 'broken-1')!;
    expect(broken.reason).toMatch(/^invalid payload of order.placed: payload\/orderId must be string/);
    expect(broken.attempts).toBe(1);
    expect(notifier.child.exitCode).toBeNull();
  }, 60_000);

  it('lose nothing when a consumer is killed with SIGKILL mid-stream, and handle each event once', async () => {
    const ledgerDb = await freshDatabase('ledger');
    let ledger = await start('ledger', { DATABASE_URL: ledgerDb, EVENT_PREFETCH: '20' });
    const emitter = await start('emitter');
    await waitFor(async () => ((await health(ledger)).status === 200 ? true : undefined), 15_000, 'healthy');
    const count = 3000;
    const burst = post(emitter, '/burst', { count, prefix: 'kill' });
    await waitFor(async () => ((await query<{ n: string }>(ledgerDb, 'SELECT count(*) AS n FROM ticks'))[0].n !== '0' ? true : undefined), 20_000, 'the first ticks');
    ledger.child.kill('SIGKILL');
    await ledger.stop();
    const reply = (await (await burst).json()) as { confirmed: number[]; failed: number };
    expect(reply.failed).toBe(0);
    const before = Number((await query<{ n: string }>(ledgerDb, 'SELECT count(*) AS n FROM ticks'))[0].n);
    expect(before).toBeLessThan(count);
    ledger = await start('ledger', { DATABASE_URL: ledgerDb });
    const done = await waitFor(async () => {
      const t = await getJson<{ total: number; distinct: number }>(ledger, '/ticks');
      return t.distinct === count ? t : undefined;
    }, 60_000, 'every tick');
    expect(done.total).toBe(count);
  }, 180_000);

  it('declare on RabbitMQ exactly the queues and bindings the AsyncAPI document describes', async () => {
    for (const s of ['notifier', 'auditor', 'ledger']) await start(s, s === 'ledger' ? { DATABASE_URL: await freshDatabase('ledger') } : {});
    for (const s of running) await waitFor(async () => ((await health(s)).status === 200 ? true : undefined), 15_000, 'healthy');
    const doc = asyncApiDocument(lintFile(EVENTS_SPEC).model!) as { channels: Record<string, { address: string; bindings: { amqp: { is: string } }; 'x-microgen-bindings'?: { routingKeys: string[] } }> };
    const described = Object.values(doc.channels)
      .filter((c) => c.bindings.amqp.is === 'queue')
      .flatMap((c) => c['x-microgen-bindings']!.routingKeys.map((key) => `ev\t${c.address}\t${key}`))
      .sort();
    const bindings = execFileSync('rabbitmqctl', ['list_bindings', '-q', '--no-table-headers', 'source_name', 'destination_name', 'routing_key'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('ev\t'))
      .sort();
    expect(bindings).toEqual(described);
    const topology = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as { queues: { queue: string }[] };
    expect(topology.queues.map((q) => q.queue).sort()).toEqual([...QUEUES].sort());
  }, 60_000);

  it('keep an event published before its subscriber ever ran: the publisher declared its queue, the subscriber gets it on its first start', async () => {
    await deleteQueues(SHARED_BROKER, ['auditor.onUserJoined']);
    const orders = await start('orders', { DATABASE_URL: await freshDatabase('orders') });
    await waitFor(async () => ((await health(orders)).status === 200 ? true : undefined), 15_000, 'healthy');
    expect((await post(orders, '/orders', { orderId: 'early', total: 0 })).status).toBe(201);
    const model = await connect(SHARED_BROKER);
    try {
      const waiting = async (): Promise<number | undefined> => {
        const channel = await model.createChannel();
        const { messageCount } = await channel.checkQueue('auditor.onUserJoined');
        await channel.close();
        return messageCount > 0 ? messageCount : undefined;
      };
      // Relayed from the outbox into the queue orders declared for the auditor, which never ran.
      expect(await waitFor(waiting, 15_000, 'user.joined waiting in auditor.onUserJoined')).toBe(1);
    } finally {
      await model.close();
    }
    const auditor = await start('auditor');
    const seen = await waitFor(async () => {
      const s = await getJson<Seen[]>(auditor, '/seen');
      return s.length >= 1 ? s : undefined;
    }, 15_000, 'the auditor to receive user.joined');
    expect(seen.map((m) => [m.name, JSON.parse(m.payload)])).toEqual([['user.joined', { userId: 1 }]]);
    expect(auditor.output()).not.toContain('PRECONDITION_FAILED');
  }, 60_000);
});

describe('the compiler and this.ctx.publish', () => {
  it('rejects a payload of the wrong type, an event the service does not publish, and publish in a service that publishes nothing', async () => {
    const file = join(dir, 'services/emitter/src/handlers/operations.ts');
    const good = readFileSync(file, 'utf8');
    try {
      for (const [bad, error] of [
        ["this.ctx.publish('tick.sent', { n, prefix })", "error TS2322: Type 'string' is not assignable to type 'number'"],
        ["this.ctx.publish('order.placed', { n, prefix })", 'error TS2345'],
      ] as const) {
        const edited = good.replace("this.ctx.publish('tick.sent', { n, prefix })", bad === "this.ctx.publish('tick.sent', { n, prefix })" ? "this.ctx.publish('tick.sent', { n: prefix, prefix })" : bad);
        expect(edited).not.toBe(good);
        writeFileSync(file, edited);
        const build = buildSystem(dir, ['services/emitter']);
        expect(build.code).not.toBe(0);
        expect(build.output).toContain(error);
      }
    } finally {
      writeFileSync(file, good);
    }
    const auditor = join(dir, 'services/auditor/src/handlers/events.ts');
    const text = readFileSync(auditor, 'utf8');
    try {
      writeFileSync(auditor, text.replace("record(message);", "record(message);\n    await this.ctx.publish('user.joined', { userId });"));
      const build = buildSystem(dir, ['services/auditor']);
      expect(build.output).toContain("Property 'publish' does not exist on type 'ServiceContext'");
    } finally {
      writeFileSync(auditor, text);
    }
    expect(buildSystem(dir, ['services/emitter', 'services/auditor']).code).toBe(0);
  }, 180_000);
});
