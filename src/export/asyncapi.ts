/**
 * The system's events as one AsyncAPI 3.0 document, as the runtime puts them on RabbitMQ: a
 * channel per event (address = the event name, the routing key on the broker's topic exchange)
 * that publishers `send` to, and a channel per subscription queue (address `<service>.<handler>`,
 * a durable quorum queue bound to the exchange with the subscription's patterns, with its retry
 * and dead-letter queues) that the subscriber `receive`s from. A message per event carries its
 * payload schema and the headers the runtime sets. Pure and deterministic: everything keyed is sorted.
 *
 * Ids: AsyncAPI keys allow `[A-Za-z0-9_-]`, so an event's id is its name with `.` as `_`
 * (`order.created` → `order_created`; names never contain `_`, so this cannot collide), a
 * queue's id is `<service>__<handler>` (`__` never occurs in an event id), and an operation is
 * `<service>_send_<event id>` or `<service>_receive_<handler>`.
 */
import { pascalCase } from '../model/names.js';
import type { EventDef, SystemModel, TypeRef } from '../model/types.js';
import { walkType } from '../model/type-string.js';
import { ERROR_SCHEMA, fieldsToObjectSchema, typeToJsonSchema, type JsonSchema } from './json-schema.js';

export const ASYNCAPI_VERSION = '3.0.0';
const AMQP_BINDING_VERSION = '0.3.0';

export const eventId = (event: string): string => event.replace(/\./g, '_');
export const queueId = (service: string, handler: string): string => `${service}__${handler}`;

/** The subscription queue of a handler, as the runtime names it (runtime/src/events/topology.ts). */
export const queueAddress = (service: string, handler: string): string => `${service}.${handler}`;

export interface AsyncApiOptions {
  /** Only the channels and operations of this service. */
  readonly service?: string;
}

const sorted = <T>(items: Iterable<T>, key: (t: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The system's AsyncAPI 3.0 document (or one service's part of it). */
export function asyncApiDocument(model: SystemModel, options: AsyncApiOptions = {}): Record<string, unknown> {
  const services = options.service === undefined ? model.services : model.services.filter((s) => s.name === options.service);
  if (options.service !== undefined && services.length === 0) throw new Error(`the spec has no service named "${options.service}"`);

  interface Op { id: string; action: 'send' | 'receive'; service: string; event: string }
  interface Queue { service: string; handler: string; patterns: string[]; events: string[] }
  const ops: Op[] = [];
  const queues: Queue[] = [];
  for (const s of services) {
    for (const p of s.publishes) ops.push({ id: `${s.name}_send_${eventId(p.event)}`, action: 'send', service: s.name, event: p.event });
    for (const sub of s.subscribes) {
      // Two subscriptions naming one handler share its queue (as the runtime declares it).
      const queue = queues.find((q) => q.service === s.name && q.handler === sub.handler);
      if (queue) {
        queue.patterns = [...new Set([...queue.patterns, sub.event])];
        queue.events = [...new Set([...queue.events, ...sub.matches])];
      } else queues.push({ service: s.name, handler: sub.handler, patterns: [sub.event], events: [...sub.matches] });
    }
  }
  const declared = new Map(model.events.map((e) => [e.name, e]));
  const used = new Set([...ops.map((o) => o.event), ...queues.flatMap((q) => q.events)].filter((e) => declared.has(e)));
  const events: EventDef[] = sorted(
    options.service === undefined ? model.events : model.events.filter((e) => used.has(e.name)),
    (e) => e.name,
  );

  // A fresh object per channel: shared objects would come out as YAML anchors and aliases.
  const channelBinding = () => ({
    amqp: {
      is: 'routingKey',
      exchange: { name: model.broker.exchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
      bindingVersion: AMQP_BINDING_VERSION,
    },
  });

  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const e of events) {
    const id = eventId(e.name);
    channels[id] = {
      address: e.name,
      ...(e.description !== undefined ? { description: e.description } : {}),
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      bindings: channelBinding(),
    };
    messages[id] = {
      name: e.name,
      title: pascalCase(e.name),
      ...(e.description !== undefined ? { summary: e.description } : {}),
      contentType: 'application/json',
      headers: messageHeaders(e.version),
      payload: fieldsToObjectSchema(e.payload),
      bindings: { amqp: { messageType: e.name, bindingVersion: AMQP_BINDING_VERSION } },
      'x-microgen-version': e.version,
    };
  }

  for (const q of sorted(queues, (x) => queueId(x.service, x.handler))) {
    const received = q.events.filter((e) => declared.has(e)).sort();
    if (received.length === 0) continue;
    const address = queueAddress(q.service, q.handler);
    channels[queueId(q.service, q.handler)] = {
      address,
      description:
        `${q.service}'s subscription ${q.handler}: a durable quorum queue bound to the exchange "${model.broker.exchange}" with ${q.patterns.join(', ')}. ` +
        `A failed message waits in ${address}.retry.<delay> (EVENT_RETRY_DELAYS) and returns; one that cannot be handled ends in ${address}.dead.`,
      messages: Object.fromEntries(received.map((e) => [eventId(e), { $ref: `#/components/messages/${eventId(e)}` }])),
      bindings: {
        amqp: {
          is: 'queue',
          queue: { name: address, durable: true, exclusive: false, autoDelete: false, vhost: '/' },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
      'x-microgen-bindings': { exchange: model.broker.exchange, routingKeys: [...q.patterns] },
      'x-microgen-dead-letter-queue': `${address}.dead`,
    };
  }

  const operations: Record<string, unknown> = {};
  const receives = queues
    .filter((q) => q.events.some((e) => declared.has(e)))
    .map((q) => ({ id: `${q.service}_receive_${q.handler}`, q }));
  const all = [...ops.filter((o) => declared.has(o.event)).map((o) => ({ id: o.id, send: o })), ...receives.map((r) => ({ id: r.id, receive: r.q }))];
  for (const o of sorted(all, (x) => x.id)) {
    if ('send' in o && o.send) {
      const id = eventId(o.send.event);
      operations[o.id] = {
        action: 'send',
        channel: { $ref: `#/channels/${id}` },
        summary: `${o.send.service} publishes ${o.send.event}`,
        messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
        bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } },
        'x-microgen-service': o.send.service,
      };
    } else if ('receive' in o && o.receive) {
      const q = o.receive;
      const channel = queueId(q.service, q.handler);
      operations[o.id] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channel}` },
        summary: `${q.service} handles ${q.patterns.join(', ')} in ${q.handler}`,
        messages: q.events.filter((e) => declared.has(e)).sort().map((e) => ({ $ref: `#/channels/${channel}/messages/${eventId(e)}` })),
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
        'x-microgen-service': q.service,
      };
    }
  }

  const schemas: Record<string, JsonSchema> = {};
  const usedSchemas = sharedSchemasUsed(model, events.flatMap((e) => e.payload.map((f) => f.type)));
  for (const name of [...usedSchemas].sort()) {
    const s = model.schemas.find((x) => x.name === name)!;
    schemas[name] = typeToJsonSchema(s.type);
  }
  const payloadTypes = events.flatMap((e) => e.payload.flatMap((f) => [...walkType(f.type)]));
  const sharedTypes = [...usedSchemas].flatMap((n) => [...walkType(model.schemas.find((x) => x.name === n)!.type)]);
  if ([...payloadTypes, ...sharedTypes].some((t) => t.kind === 'ref' && t.scope === 'builtin')) schemas.Error = structuredClone(ERROR_SCHEMA);

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: options.service === undefined ? model.name : `${model.name} ${options.service}`,
      version: '1.0.0',
      ...(model.description !== undefined ? { description: model.description } : {}),
    },
    defaultContentType: 'application/json',
    servers: {
      broker: {
        host: 'localhost:5672',
        protocol: 'amqp',
        description: `RabbitMQ (BROKER_URL); events go through the topic exchange "${model.broker.exchange}" with the event name as routing key`,
      },
    },
    channels,
    operations,
    components: { ...(Object.keys(schemas).length > 0 ? { schemas } : {}), messages },
  };
}

/** The AMQP headers the runtime sets on every event (the message id and event name are AMQP properties). */
function messageHeaders(version: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      'x-event-version': { type: 'integer', const: version, description: 'The payload version.' },
      'x-request-id': { type: 'string', description: 'The request that caused the event, when there was one.' },
      'x-attempt': { type: 'integer', minimum: 1, description: 'Set on a retried delivery: 2 on the first retry, …' },
    },
    required: ['x-event-version'],
  };
}

/** Shared schema names reachable from some types (payloads only use shared schemas). */
function sharedSchemasUsed(model: SystemModel, types: TypeRef[]): Set<string> {
  const byName = new Map(model.schemas.map((s) => [s.name, s]));
  const used = new Set<string>();
  const queue = [...types];
  while (queue.length > 0) {
    for (const t of walkType(queue.pop()!)) {
      if (t.kind !== 'ref' || t.scope !== 'shared' || used.has(t.name)) continue;
      const s = byName.get(t.name);
      if (!s) continue;
      used.add(t.name);
      queue.push(s.type);
    }
  }
  return used;
}
