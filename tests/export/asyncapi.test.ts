/** AsyncAPI 3.0 for the shop: valid against the official JSON Schema, refs resolve, channels have messages. */
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { asyncApiDocument } from '../../src/export/asyncapi.js';
import { lintFile } from '../../src/lint.js';
import { runCli } from '../helpers/io.js';
import { assertRefsResolve, resolvePointer } from './refs.js';
import { deadQueueName, queueName } from '../../runtime/src/events/topology.js';

const shop = lintFile('examples/shop/microgen.yaml').model!;
type Doc = Record<string, any>;
const doc = asyncApiDocument(shop) as Doc;

const require = createRequire(import.meta.url);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateAsyncApi = ajv.compile(require('@asyncapi/specs/schemas/3.0.0-without-$id.json'));

describe('the shop as AsyncAPI 3.0', () => {
  it('passes the AsyncAPI 3.0.0 JSON Schema', () => {
    const ok = validateAsyncApi(JSON.parse(JSON.stringify(doc)));
    expect(validateAsyncApi.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check does catch a broken document', () => {
    const broken = JSON.parse(JSON.stringify(doc));
    broken.operations.user_send_user_registered.action = 'publish';
    expect(validateAsyncApi(broken)).toBe(false);
  });

  it('every $ref resolves', () => {
    assertRefsResolve(doc);
  });

  it('one channel per event, addressed by the event name (the routing key), each with its message', () => {
    const eventChannels = Object.entries(doc.channels as Record<string, Doc>).filter(([, c]) => c.bindings.amqp.is === 'routingKey');
    expect(eventChannels.map(([id]) => id)).toEqual(shop.events.map((e) => e.name.replace(/\./g, '_')).sort());
    for (const [id, channel] of eventChannels) {
      const messages = Object.values(channel.messages as Record<string, Doc>);
      expect(messages.length, id).toBeGreaterThan(0);
      for (const m of messages) expect(resolvePointer(doc, m.$ref), `${id} message`).toMatchObject({ name: channel.address, payload: { type: 'object' } });
      expect(shop.events.map((e) => e.name)).toContain(channel.address);
      expect(channel.bindings.amqp).toMatchObject({ is: 'routingKey', exchange: { name: 'events', type: 'topic' } });
    }
  });

  it('one queue channel per subscription, named and bound as the runtime declares it', () => {
    const queues = Object.entries(doc.channels as Record<string, Doc>).filter(([, c]) => c.bindings.amqp.is === 'queue');
    const expected = shop.services.flatMap((s) =>
      [...new Set(s.subscribes.map((sub) => sub.handler))].map((handler) => {
        const subs = s.subscribes.filter((sub) => sub.handler === handler);
        return { address: queueName(s.name, handler), patterns: subs.map((sub) => sub.event), events: subs.flatMap((sub) => sub.matches) };
      }),
    );
    expect(queues.map(([, c]) => c.address).sort()).toEqual(expected.map((e) => e.address).sort());
    for (const e of expected) {
      const [, channel] = queues.find(([, c]) => c.address === e.address)!;
      expect(channel.bindings.amqp.queue).toEqual({ name: e.address, durable: true, exclusive: false, autoDelete: false, vhost: '/' });
      expect(channel['x-microgen-bindings']).toEqual({ exchange: 'events', routingKeys: e.patterns });
      expect(channel['x-microgen-dead-letter-queue']).toBe(deadQueueName(e.address));
      expect(Object.values(channel.messages as Record<string, Doc>).map((m) => resolvePointer(doc, m.$ref).name).sort()).toEqual([...e.events].sort());
    }
  });

  it('payloads are JSON Schemas of the event fields, shared schemas under components', () => {
    expect(doc.components.messages.order_created.payload).toEqual({
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        userId: { type: 'integer' },
        items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
        total: { $ref: '#/components/schemas/Money' },
      },
      required: ['orderId', 'userId', 'items', 'total'],
    });
    expect(doc.components.messages.order_cancelled.payload.required).toEqual(['orderId']);
    expect(Object.keys(doc.components.schemas)).toEqual(['Item', 'Money']);
  });

  it('a send operation per publication and a receive operation per subscription queue', () => {
    const ops = doc.operations as Record<string, Doc>;
    const expected: string[] = [];
    for (const s of shop.services) {
      for (const p of s.publishes) expected.push(`${s.name}_send_${p.event.replace(/\./g, '_')}`);
      for (const sub of s.subscribes) expected.push(`${s.name}_receive_${sub.handler}`);
    }
    expect(Object.keys(ops)).toEqual([...new Set(expected)].sort());
    // notification subscribes to order.*: one receive operation on its queue, with every matching event.
    expect(ops.notification_receive_onOrderEvent).toMatchObject({ action: 'receive', channel: { $ref: '#/channels/notification__onOrderEvent' }, bindings: { amqp: { ack: true } } });
    expect(ops.notification_receive_onOrderEvent.messages.map((m: Doc) => m.$ref)).toEqual([
      '#/channels/notification__onOrderEvent/messages/order_cancelled',
      '#/channels/notification__onOrderEvent/messages/order_completed',
      '#/channels/notification__onOrderEvent/messages/order_created',
    ]);
    expect(ops.notification_receive_onOrderEvent.summary).toBe('notification handles order.* in onOrderEvent');
    expect(ops.order_send_order_created).toMatchObject({ action: 'send', messages: [{ $ref: '#/channels/order_created/messages/order_created' }] });
    // Implied by the choreography: order handles inventory.failed.
    expect(ops.order_receive_onInventoryFailed.action).toBe('receive');
  });

  it('messages describe the headers the runtime sets', () => {
    expect(doc.components.messages.order_created.headers).toMatchObject({ required: ['x-event-version'], properties: { 'x-event-version': { const: 1 } } });
  });

  it('passes the official AsyncAPI parser without errors', async () => {
    const { Parser } = await import('@asyncapi/parser');
    const { diagnostics, document } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.channels().all().map((c) => c.address()).sort()).toEqual(Object.values(doc.channels as Record<string, Doc>).map((c) => c.address).sort());
    // The parser does catch a broken reference.
    const broken = JSON.parse(JSON.stringify(doc));
    broken.operations.notification_receive_onOrderEvent.channel.$ref = '#/channels/nowhere';
    const again = await new Parser().parse(JSON.stringify(broken));
    expect(again.diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(asyncApiDocument(shop))).toBe(JSON.stringify(doc));
  });

  it('--service keeps one service’s channels and operations', () => {
    const user = asyncApiDocument(shop, { service: 'user' }) as Doc;
    expect(Object.keys(user.channels)).toEqual(['user_registered']);
    expect(Object.keys(user.operations)).toEqual(['user_send_user_registered']);
    assertRefsResolve(user);
    expect(validateAsyncApi(JSON.parse(JSON.stringify(user)))).toBe(true);
  });
});

describe('microgen export asyncapi', () => {
  it('prints YAML by default', async () => {
    const run = await runCli(['export', 'asyncapi', 'examples/shop']);
    expect(run.code).toBe(0);
    expect(parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(run.stdout).not.toMatch(/[&*]a\d/);
  });

  it('--out DIR --json writes DIR/asyncapi.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microgen-asyncapi-'));
    const run = await runCli(['export', 'asyncapi', join(process.cwd(), 'examples/minimal'), '--out', 'api', '--json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote api/asyncapi.json\n');
    const written = JSON.parse(readFileSync(join(dir, 'api/asyncapi.json'), 'utf8'));
    expect(written.channels.greeting_sent.address).toBe('greeting.sent');
    expect(validateAsyncApi(written)).toBe(true);
  });

  it('--help explains both kinds', async () => {
    const run = await runCli(['export', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('multi-document YAML stream');
    expect(run.stdout).toContain('microgen export asyncapi --json > asyncapi.json');
  });
});
