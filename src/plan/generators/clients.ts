/**
 * Typed clients for a service's `calls`: one module per callee with the callee's request and
 * reply types (declared locally, so they cannot clash with the caller's own schemas) over the
 * runtime's ServiceCaller, the clients' index with each callee's policies, and, where
 * `fallback: true`, the fallback base class and the user's scaffold with one stub per fallback.
 */
import { camelCase, pascalCase } from '../../model/names.js';
import { walkType } from '../../model/type-string.js';
import type { Call, NamedSchema, Operation, Service, SystemModel, TypeRef } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { objectType, schemaDeclaration, tsType, tsTypeName } from '../../render/ts-types.js';
import type { GenerateContext } from '../context.js';
import { methodHead, tsLiteral } from '../../render/ts-literal.js';
import { tsHeader } from '../header.js';
import { memberKeys, serviceKey, servicePath } from '../paths.js';
import type { MemberStub, PlannedFile } from '../tree.js';
import { hasBody, operationTypeName, operationTypes, replyStatuses, replyVariants } from './contracts.js';

type Ref = Extract<TypeRef, { kind: 'ref' }>;

/** The methods whose calls may carry an `Idempotency-Key` (the callee records their replies by it). */
const KEYED_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A resolved client call: the callee and the operations used (unknown names are lint errors, skipped here). */
export interface ResolvedCall {
  readonly call: Call;
  readonly callee: Service;
  readonly operations: readonly Operation[];
}

const servicesByName = new WeakMap<SystemModel, Map<string, Service>>();

export function resolvedCalls(model: SystemModel, service: Service): ResolvedCall[] {
  if (service.clients.length === 0) return [];
  let byName = servicesByName.get(model);
  if (!byName) servicesByName.set(model, (byName = new Map(model.services.map((s) => [s.name, s]))));
  return service.clients.flatMap((call) => {
    const callee = byName.get(call.service);
    if (!callee) return [];
    const operations = call.operations.flatMap((name) => callee.operations.filter((o) => o.name === name));
    return [{ call, callee, operations }];
  });
}

export const clientClassName = (callee: string): string => `${pascalCase(callee)}Client`;
export const clientProperty = (callee: string): string => camelCase(callee);
/** The fallback method for one callee operation: `user` + `getUser` → `userGetUser`. */
export const fallbackMethodName = (callee: string, op: Pick<Operation, 'name'>): string => `${camelCase(callee)}${pascalCase(op.name)}`;

/** The callee's named schemas the operations reach (transitively), and how code names them. */
function clientSchemas(model: SystemModel, callee: Service, ops: readonly Operation[]) {
  const own = new Map(callee.schemas.map((s) => [s.name, s]));
  const shared = new Map(model.schemas.map((s) => [s.name, s]));
  const used = new Map<string, { schema: NamedSchema; scope: 'service' | 'shared' }>();
  let usesError = false;
  const queue: TypeRef[] = ops.flatMap(operationTypes);
  while (queue.length > 0) {
    for (const t of walkType(queue.pop()!)) {
      if (t.kind !== 'ref') continue;
      if (t.scope === 'builtin') usesError = true;
      if (t.scope !== 'service' && t.scope !== 'shared') continue;
      const id = `${t.scope}:${t.name}`;
      const schema = (t.scope === 'service' ? own : shared).get(t.name);
      if (!schema || used.has(id)) continue;
      used.set(id, { schema, scope: t.scope });
      queue.push(schema.type);
    }
  }
  const localNames = new Set([...used.values()].filter((u) => u.scope === 'service').map((u) => tsTypeName(u.schema.name)));
  const nameOf = (name: string, scope: Ref['scope']): string => {
    if (scope === 'builtin') return 'ErrorBody';
    const plain = tsTypeName(name);
    return scope === 'shared' && localNames.has(plain) ? `Shared${plain}` : plain;
  };
  const naming = (ref: Ref): string => nameOf(ref.name, ref.scope);
  const declarations = [...used.values()]
    .sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'service' ? -1 : 1))
    .map((u) => schemaDeclaration(u.schema, naming, nameOf(u.schema.name, u.scope)));
  if (usesError && !localNames.has('ErrorBody')) declarations.push('export interface ErrorBody {\n  error: string;\n  message: string;\n}\n');
  return { declarations, naming };
}

function clientFile(ctx: GenerateContext, service: Service, rc: ResolvedCall): PlannedFile {
  const { call, callee, operations } = rc;
  const { declarations, naming } = clientSchemas(ctx.model, callee, operations);
  const fallback = call.fallback && operations.length > 0;
  const views = operations.map((op) => {
    const queryOptional = op.query.every((f) => f.optional);
    return {
      name: op.name,
      typeName: operationTypeName(op),
      doc: `${op.description ? `${op.description}\n\n` : ''}\`${op.method} ${op.path}\` on ${callee.name}.`,
      params: op.params.length > 0 ? objectType(op.params, '  ', naming) : undefined,
      query: op.query.length > 0 ? objectType(op.query, '  ', naming) : undefined,
      queryOptional,
      body: hasBody(op) ? tsType(op.body!, '  ', naming) : undefined,
      requestOptional: op.params.length === 0 && !hasBody(op) && queryOptional,
      replies: replyVariants(op, naming),
      fallbackMethod: fallbackMethodName(callee.name, op),
      keyed: KEYED_METHODS.has(op.method),
    };
  });
  return {
    path: servicePath(service.name, `src/generated/clients/${callee.name}.ts`),
    owner: 'generated',
    key: serviceKey(service.name, `client:${callee.name}`),
    content: render('service/client.ts', {
      header: tsHeader(ctx.specPath).trimEnd(),
      caller: service.name,
      callee: callee.name,
      className: clientClassName(callee.name),
      fallback,
      timeoutMs: call.timeoutMs,
      attempts: call.retry.attempts,
      backoff: call.retry.backoff,
      failMax: call.breaker.failMax,
      resetTimeoutMs: call.breaker.resetTimeoutMs,
      declarations,
      operationTable: tsLiteral(
        Object.fromEntries(operations.map((op) => [op.name, { name: op.name, method: op.method, path: op.path, statuses: replyStatuses(op) }])),
        '',
        'const OPERATIONS = ;'.length,
      ),
      operations: views,
    }),
  };
}

const fallbackStub = (callee: Service, op: Operation): MemberStub => {
  const name = fallbackMethodName(callee.name, op);
  const type = pascalCase(name);
  return {
    key: memberKeys.fallback(callee.name, op.name),
    className: 'Fallbacks',
    memberName: name,
    text: `${methodHead(`override async ${name}`, [`request: Fb.${type}Call`, 'error: Fb.CallError'], `Promise<Fb.${type}Reply>`)}\n    throw error;\n  }`,
  };
};

/** The view of the clients for clients/index.ts. */
function clientViews(model: SystemModel, service: Service) {
  return resolvedCalls(model, service).map(({ call, callee, operations }) => ({
    service: callee.name,
    file: callee.name,
    className: clientClassName(callee.name),
    property: clientProperty(callee.name),
    operations: operations.map((o) => o.name),
    fallback: call.fallback && operations.length > 0,
    port: callee.port,
    policy: { timeoutMs: call.timeoutMs, retry: call.retry, breaker: call.breaker },
  }));
}

export function clientFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  if (!service.features.clients) return [];
  const calls = resolvedCalls(model, service);
  const dir = servicePath(service.name);
  const header = tsHeader(specPath).trimEnd();
  const key = (what: string) => serviceKey(service.name, what);
  const consul = model.discovery === 'consul';
  const fallbacks = service.features.fallbacks;
  const files: PlannedFile[] = [
    ...calls.map((rc) => clientFile(ctx, service, rc)),
    {
      path: `${dir}/src/generated/clients/index.ts`,
      owner: 'generated',
      key: key('clients'),
      content: render('service/clients-index.ts', { header, service: service.name, consul, fallbacks, sagas: service.features.sagas, clients: clientViews(model, service) }),
    },
  ];
  if (fallbacks) {
    const withFallback = calls.filter((c) => c.call.fallback && c.operations.length > 0);
    const stubs = withFallback.flatMap((c) => c.operations.map((op) => fallbackStub(c.callee, op)));
    files.push(
      {
        path: `${dir}/src/generated/fallbacks.ts`,
        owner: 'generated',
        key: key('fallbacks'),
        content: render('service/fallbacks.ts', {
          header,
          callees: withFallback.map((c) => ({ alias: `${pascalCase(c.callee.name)}Api`, file: c.callee.name })),
          methods: withFallback.flatMap((c) =>
            c.operations.map((op) => {
              const name = fallbackMethodName(c.callee.name, op);
              return { name, typeName: pascalCase(name), alias: `${pascalCase(c.callee.name)}Api`, opType: operationTypeName(op), service: c.callee.name, operation: op.name };
            }),
          ),
        }),
      },
      {
        path: `${dir}/src/handlers/fallbacks.ts`,
        owner: 'scaffold',
        key: key('handlers-fallbacks'),
        content: render('service/handlers-fallbacks.ts', { service: service.name, stubs: stubs.map((s) => s.text) }),
        stubs,
      },
    );
  }
  return files;
}
