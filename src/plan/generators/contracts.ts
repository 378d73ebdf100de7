/**
 * The typed contract of a service: its schema types, the request/reply types of each operation
 * with the abstract class the user's handlers extend, the event payload types, and the
 * user-owned handler scaffolds (generation gap: the generated abstract classes declare one
 * method per operation/subscription, the user's classes implement them, and `tsc` reports
 * whatever is missing or stale).
 */
import { pascalCase } from '../../model/names.js';
import { walkType } from '../../model/type-string.js';
import type { EventDef, NamedSchema, Operation, Service, Subscription, SystemModel, TypeRef } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { objectType, schemaDeclaration, tsType, type RefNaming } from '../../render/ts-types.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { serviceKey, servicePath } from '../paths.js';
import type { MemberStub, PlannedFile } from '../tree.js';

const T = 'T.';

/** Operation names are camelCase; their types are PascalCase (`getUser` → `GetUser`). */
export const operationTypeName = (op: Operation): string => pascalCase(op.name);
export const eventTypeName = (event: string): string => `${pascalCase(event)}Payload`;
export const messageTypeName = (handler: string): string => `${pascalCase(handler)}Message`;

/** The schemas a service's generated code refers to: every shared one and its own. */
function serviceSchemas(model: SystemModel, service: Service): NamedSchema[] {
  return [...model.schemas, ...service.schemas];
}

export function usesRefs(types: (TypeRef | undefined)[]): boolean {
  return types.some((t) => t !== undefined && [...walkType(t)].some((x) => x.kind === 'ref'));
}

/** Every type an operation mentions: params, query, body and responses. */
export function operationTypes(op: Operation): TypeRef[] {
  return [...op.params.map((p) => p.type), ...op.query.map((q) => q.type), ...(op.body ? [op.body] : []), ...op.responses.map((r) => r.type)];
}

/** The `{ status, body }` pairs an operation may answer (a bodiless `204` when it declares none). */
export function replyVariants(op: Operation, refs: RefNaming = T): string[] {
  if (op.responses.length === 0) return ['{ status: 204 }'];
  return op.responses.map((r) => (r.type.kind === 'empty' ? `{ status: ${r.status} }` : `{ status: ${r.status}; body: ${tsType(r.type, '  ', refs)} }`));
}

/** The statuses a caller may receive as replies (what `replyVariants` lists). */
export function replyStatuses(op: Operation): number[] {
  return op.responses.length === 0 ? [204] : op.responses.map((r) => r.status);
}

export const hasBody = (op: Operation): boolean => op.body !== undefined && op.body.kind !== 'empty';

function operationView(op: Operation) {
  return {
    name: op.name,
    typeName: operationTypeName(op),
    method: op.method,
    path: op.path,
    doc: op.description ?? `${op.method} ${op.path}`,
    params: objectType(op.params, '  ', T),
    query: objectType(op.query, '  ', T),
    body: op.body ? tsType(op.body, '  ', T) : 'undefined',
    replies: replyVariants(op),
  };
}

/** Events a service touches: what it publishes and what its subscriptions match. */
function serviceEvents(model: SystemModel, service: Service): EventDef[] {
  const names = new Set([...service.publishes.map((p) => p.event), ...service.subscribes.flatMap((s) => s.matches)]);
  return model.events.filter((e) => names.has(e.name));
}

function handlerView(model: SystemModel, sub: Subscription) {
  // The model already matched the pattern against every event (sub.matches); keep model order.
  const matched = new Set(sub.matches);
  const events = model.events.filter((e) => matched.has(e.name));
  return {
    name: sub.handler,
    pattern: sub.event,
    saga: sub.origin.kind === 'saga' ? sub.origin.saga : undefined,
    messageType: messageTypeName(sub.handler),
    variants: events.length ? events.map((e) => `EventMessage<${JSON.stringify(e.name).replace(/"/g, "'")}, ${eventTypeName(e.name)}>`) : ['never'],
  };
}

/** One handler per name: two subscriptions naming one handler share it (their messages are united). */
function uniqueHandlers(model: SystemModel, service: Service) {
  const byName = new Map<string, ReturnType<typeof handlerView>>();
  for (const sub of service.subscribes) {
    const view = handlerView(model, sub);
    const seen = byName.get(view.name);
    if (seen) {
      seen.pattern = `${seen.pattern}, ${view.pattern}`;
      seen.variants = [...new Set([...seen.variants, ...view.variants])].filter((v) => v !== 'never');
      if (seen.variants.length === 0) seen.variants = ['never'];
    } else byName.set(view.name, view);
  }
  return [...byName.values()];
}

const operationStub = (op: Operation): MemberStub => ({
  key: `operation:${op.name}`,
  className: 'Operations',
  memberName: op.name,
  text: `  override async ${op.name}(request: Op.${operationTypeName(op)}Request): Promise<Op.${operationTypeName(op)}Reply> {\n    throw new NotImplemented('${op.name}');\n  }`,
});

const eventStub = (handler: { name: string; messageType: string }): MemberStub => ({
  key: `event:${handler.name}`,
  className: 'Events',
  memberName: handler.name,
  text: `  override async ${handler.name}(message: Ev.${handler.messageType}): Promise<void> {\n    throw new NotImplemented('${handler.name}');\n  }`,
});

/** types.ts, operations.ts, events.ts and the user's handler classes for operations and events. */
export function contractFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const dir = servicePath(service.name);
  const header = tsHeader(specPath).trimEnd();
  const key = (what: string) => serviceKey(service.name, what);
  const schemas = serviceSchemas(model, service);
  const events = serviceEvents(model, service);
  const handlers = uniqueHandlers(model, service);
  const opStubs = service.operations.map(operationStub);
  const evStubs = handlers.map(eventStub);
  return [
    {
      path: `${dir}/src/generated/types.ts`,
      owner: 'generated',
      key: key('types'),
      content: render('service/types.ts', { header, declarations: schemas.map((s) => schemaDeclaration(s)) }),
    },
    {
      path: `${dir}/src/generated/operations.ts`,
      owner: 'generated',
      key: key('operations'),
      content: render('service/operations.ts', {
        header,
        operations: service.operations.map(operationView),
        usesTypes: usesRefs(service.operations.flatMap(operationTypes)),
      }),
    },
    {
      path: `${dir}/src/generated/events.ts`,
      owner: 'generated',
      key: key('events'),
      content: render('service/events.ts', {
        header,
        usesTypes: usesRefs(events.flatMap((e) => e.payload.map((f) => f.type))),
        events: events.map((e) => ({ name: e.name, version: e.version, doc: e.description ?? `Payload of ${e.name} (version ${e.version}).`, typeName: eventTypeName(e.name), payload: objectType(e.payload, '', T) })),
        handlers,
      }),
    },
    {
      path: `${dir}/src/handlers/operations.ts`,
      owner: 'scaffold',
      key: key('handlers-operations'),
      content: render('service/handlers-operations.ts', { service: service.name, stubs: opStubs.map((s) => s.text) }),
      stubs: opStubs,
    },
    {
      path: `${dir}/src/handlers/events.ts`,
      owner: 'scaffold',
      key: key('handlers-events'),
      content: render('service/handlers-events.ts', { service: service.name, stubs: evStubs.map((s) => s.text) }),
      stubs: evStubs,
    },
  ];
}
