/**
 * A service's events, for a service that publishes or subscribes (others get nothing):
 * src/generated/events.ts (payload types, `PublishedEvents` for `this.ctx.publish`, the contract
 * of each event — version and JSON Schema, from the same document as `microgen export asyncapi`
 * — the subscriptions with their message unions, and the abstract `EventHandlers`) and the
 * user-owned src/handlers/events.ts with one stub per subscription.
 */
import { eventId, asyncApiDocument } from '../../export/asyncapi.js';
import type { JsonSchema } from '../../export/json-schema.js';
import { pascalCase } from '../../model/names.js';
import type { EventDef, Service, Subscription, SystemModel } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { methodHead, tsLiteral } from '../../render/ts-literal.js';
import { objectType } from '../../render/ts-types.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { memberKeys, serviceKey, servicePath } from '../paths.js';
import type { MemberStub, PlannedFile } from '../tree.js';
import { T, usesRefs } from './contracts.js';
import { fastifyRefs } from './route-schemas.js';

export const eventTypeName = (event: string): string => `${pascalCase(event)}Payload`;
export const messageTypeName = (handler: string): string => `${pascalCase(handler)}Message`;

/** `order.created` as a single-quoted TypeScript string. */
const tsName = (name: string): string => tsLiteral(name);

/** Events a service touches: what it publishes and what its subscriptions match, in spec order. */
function serviceEvents(model: SystemModel, service: Service): EventDef[] {
  const names = new Set([...service.publishes.map((p) => p.event), ...service.subscribes.flatMap((s) => s.matches)]);
  return model.events.filter((e) => names.has(e.name));
}

interface HandlerView {
  name: string;
  pattern: string;
  patterns: string[];
  events: string[];
  saga?: string;
  messageType: string;
  variants: string[];
}

function handlerView(model: SystemModel, sub: Subscription): HandlerView {
  // The model already matched the pattern against every event (sub.matches); keep model order.
  const matched = new Set(sub.matches);
  const events = model.events.filter((e) => matched.has(e.name)).map((e) => e.name);
  return {
    name: sub.handler,
    pattern: sub.event,
    patterns: [sub.event],
    events,
    ...(sub.origin.kind === 'saga' ? { saga: sub.origin.saga } : {}),
    messageType: messageTypeName(sub.handler),
    variants: events.length ? events.map((e) => `EventMessage<${tsName(e)}, ${eventTypeName(e)}>`) : ['never'],
  };
}

/** One handler per name: two subscriptions naming one handler share it (one queue, their patterns and messages united). */
export function uniqueHandlers(model: SystemModel, service: Service): HandlerView[] {
  const byName = new Map<string, HandlerView>();
  for (const sub of service.subscribes) {
    const view = handlerView(model, sub);
    const seen = byName.get(view.name);
    if (!seen) {
      byName.set(view.name, view);
      continue;
    }
    seen.pattern = `${seen.pattern}, ${view.pattern}`;
    seen.patterns = [...new Set([...seen.patterns, ...view.patterns])];
    seen.events = [...new Set([...seen.events, ...view.events])];
    seen.variants = [...new Set([...seen.variants, ...view.variants])].filter((v) => v !== 'never');
    if (seen.variants.length === 0) seen.variants = ['never'];
  }
  return [...byName.values()];
}

/** Every subscription handler of the system, in spec order, with the events it receives: once per model. */
const allHandlers = new WeakMap<SystemModel, { service: string; handler: HandlerView }[]>();

function handlersOfSystem(model: SystemModel): { service: string; handler: HandlerView }[] {
  let found = allHandlers.get(model);
  if (!found) {
    found = model.services.flatMap((s) => uniqueHandlers(model, s).map((handler) => ({ service: s.name, handler })));
    allHandlers.set(model, found);
  }
  return found;
}

/**
 * The subscriptions of other services that receive an event `service` publishes (as the model
 * matched them, `sub.matches`), each handler once with all its patterns, in spec order: the
 * publisher declares their queues too, as their service does, so that what it publishes before
 * they ever ran waits for them. Its own subscriptions are declared as such.
 */
export function eventReceivers(model: SystemModel, service: Service): { service: string; handler: string; patterns: string[] }[] {
  if (!service.features.received) return [];
  const published = new Set(service.publishes.map((p) => p.event));
  return handlersOfSystem(model)
    .filter(({ service: s, handler: h }) => s !== service.name && h.events.some((e) => published.has(e)))
    .map(({ service: s, handler: h }) => ({ service: s, handler: h.name, patterns: h.patterns }));
}

const eventStub = (handler: { name: string; messageType: string }): MemberStub => ({
  key: memberKeys.handler(handler.name),
  className: 'Events',
  memberName: handler.name,
  text: `${methodHead(`override async ${handler.name}`, [`message: Ev.${handler.messageType}`], 'Promise<void>')}\n    throw new NotImplemented('${handler.name}');\n  }`,
});

/** The JSON Schemas of a service's events: payloads by event name, and the shared schemas they refer to (`Name#`). */
export function eventSchemas(model: SystemModel, service: Service): { payloads: Record<string, JsonSchema>; shared: JsonSchema[] } {
  const doc = asyncApiDocument(model, { service: service.name }) as {
    components: { schemas?: Record<string, JsonSchema>; messages: Record<string, { payload: JsonSchema }> };
  };
  const payloads: Record<string, JsonSchema> = {};
  for (const e of serviceEvents(model, service)) payloads[e.name] = fastifyRefs(doc.components.messages[eventId(e.name)].payload) as JsonSchema;
  const shared = Object.entries(doc.components.schemas ?? {}).map(([id, schema]) => ({ $id: id, ...(fastifyRefs(schema) as JsonSchema) }));
  return { payloads, shared };
}

export function eventFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const { features } = service;
  if (!features.publishes && !features.subscribes) return [];
  const events = serviceEvents(model, service);
  const version = new Map(events.map((e) => [e.name, e.version]));
  const { payloads, shared } = eventSchemas(model, service);
  const contract = (name: string) => ({ version: version.get(name), schema: payloads[name] });
  const handlers = uniqueHandlers(model, service);
  const published = [...new Set(service.publishes.map((p) => p.event))].filter((e) => version.has(e));
  const receivers = eventReceivers(model, service);
  const files: PlannedFile[] = [
    {
      path: servicePath(service.name, 'src/generated/events.ts'),
      owner: 'generated',
      key: serviceKey(service.name, 'events'),
      content: render('service/events.ts', {
        header: tsHeader(specPath).trimEnd(),
        service: service.name,
        exchange: model.broker.exchange,
        runtimeTypes: [
          ...(published.length ? ['EventCatalog'] : []),
          ...(handlers.length ? ['EventMessage'] : []),
          ...(receivers.length ? ['Receiver'] : []),
          ...(handlers.length ? ['Subscription'] : []),
        ].join(', '),
        usesTypes: usesRefs(events.flatMap((e) => e.payload.map((f) => f.type))),
        events: events.map((e) => ({ doc: e.description ?? `Payload of ${e.name} (version ${e.version}).`, typeName: eventTypeName(e.name), payload: objectType(e.payload, '', T) })),
        publishes: published.map((name) => ({ name, typeName: eventTypeName(name) })),
        schemas: tsLiteral(shared),
        catalog: published.length ? tsLiteral(Object.fromEntries(published.map((name) => [name, contract(name)]))) : undefined,
        receivers: receivers.length ? tsLiteral(receivers, '', 'export const RECEIVERS: readonly Receiver[] = ;'.length) : undefined,
        subscriptions: handlers.length
          ? tsLiteral(handlers.map((h) => ({ handler: h.name, patterns: h.patterns, events: Object.fromEntries(h.events.map((name) => [name, contract(name)])) })))
          : undefined,
        handlers,
      }),
    },
  ];
  if (handlers.length > 0) {
    const stubs = handlers.map(eventStub);
    files.push({
      path: servicePath(service.name, 'src/handlers/events.ts'),
      owner: 'scaffold',
      key: serviceKey(service.name, 'handlers-events'),
      content: render('service/handlers-events.ts', { service: service.name, stubs: stubs.map((s) => s.text) }),
      stubs,
    });
  }
  return files;
}
