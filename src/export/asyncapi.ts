/**
 * The system's events as one AsyncAPI 3.0 document: a channel per event (address = the event
 * name, which is the RabbitMQ routing key on the broker's topic exchange), a message per
 * event with its payload schema, and `send`/`receive` operations for every publishing and
 * subscribing service. Pure and deterministic: everything keyed is sorted.
 *
 * Ids: AsyncAPI keys allow `[A-Za-z0-9_-]`, so an event's id is its name with `.` as `_`
 * (`order.created` → `order_created`; names never contain `_`, so this cannot collide) and an
 * operation is `<service>_send_<event id>` or `<service>_receive_<event id>`.
 */
import { pascalCase } from '../model/names.js';
import type { EventDef, SystemModel, TypeRef } from '../model/types.js';
import { walkType } from '../model/type-string.js';
import { ERROR_SCHEMA, fieldsToObjectSchema, typeToJsonSchema, type JsonSchema } from './json-schema.js';

export const ASYNCAPI_VERSION = '3.0.0';
const AMQP_BINDING_VERSION = '0.3.0';

export const eventId = (event: string): string => event.replace(/\./g, '_');

export interface AsyncApiOptions {
  /** Only the channels and operations of this service. */
  readonly service?: string;
}

const sorted = <T>(items: Iterable<T>, key: (t: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The system's AsyncAPI 3.0 document (or one service's part of it). */
export function asyncApiDocument(model: SystemModel, options: AsyncApiOptions = {}): Record<string, unknown> {
  const services = options.service === undefined ? model.services : model.services.filter((s) => s.name === options.service);
  if (options.service !== undefined && services.length === 0) throw new Error(`the spec has no service named "${options.service}"`);

  interface Op { id: string; action: 'send' | 'receive'; service: string; event: string; handler?: string; pattern?: string }
  const ops: Op[] = [];
  for (const s of services) {
    for (const p of s.publishes) ops.push({ id: `${s.name}_send_${eventId(p.event)}`, action: 'send', service: s.name, event: p.event });
    for (const sub of s.subscribes) {
      for (const event of sub.matches) {
        const id = `${s.name}_receive_${eventId(event)}`;
        if (ops.some((o) => o.id === id)) continue;
        ops.push({ id, action: 'receive', service: s.name, event, handler: sub.handler, ...(sub.event !== event ? { pattern: sub.event } : {}) });
      }
    }
  }
  const declared = new Map(model.events.map((e) => [e.name, e]));
  const used = new Set(ops.map((o) => o.event).filter((e) => declared.has(e)));
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
      payload: fieldsToObjectSchema(e.payload),
      bindings: { amqp: { messageType: e.name, bindingVersion: AMQP_BINDING_VERSION } },
      'x-microgen-version': e.version,
    };
  }

  const operations: Record<string, unknown> = {};
  for (const o of sorted(ops, (op) => op.id)) {
    if (!declared.has(o.event)) continue;
    const id = eventId(o.event);
    const summary =
      o.action === 'send'
        ? `${o.service} publishes ${o.event}`
        : `${o.service} handles ${o.event} in ${o.handler}${o.pattern ? ` (subscribed as ${o.pattern})` : ''}`;
    operations[o.id] = {
      action: o.action,
      channel: { $ref: `#/channels/${id}` },
      summary,
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      ...(o.action === 'send' ? { bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } } } : {}),
      'x-microgen-service': o.service,
    };
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
