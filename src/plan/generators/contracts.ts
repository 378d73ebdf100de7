/**
 * The typed contract of a service: its schema types, the request/reply types of each operation
 * with the abstract class the user's handlers extend, and the user-owned handler scaffold
 * (generation gap: the generated abstract class declares one method per operation, the user's
 * class implements them, and `tsc` reports whatever is missing or stale). Events: events.ts.
 */
import { pascalCase } from '../../model/names.js';
import { walkType } from '../../model/type-string.js';
import type { NamedSchema, Operation, Service, SystemModel, TypeRef } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { methodHead } from '../../render/ts-literal.js';
import { objectType, schemaDeclaration, tsType, type RefNaming } from '../../render/ts-types.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { memberKeys, serviceKey, servicePath } from '../paths.js';
import type { MemberStub, PlannedFile } from '../tree.js';

export const T = 'T.';

/** Operation names are camelCase; their types are PascalCase (`getUser` → `GetUser`). */
export const operationTypeName = (op: Operation): string => pascalCase(op.name);

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

const operationStub = (op: Operation): MemberStub => ({
  key: memberKeys.operation(op.name),
  className: 'Operations',
  memberName: op.name,
  text: `${methodHead(`override async ${op.name}`, [`request: Op.${operationTypeName(op)}Request`], `Promise<Op.${operationTypeName(op)}Reply>`)}\n    throw new NotImplemented('${op.name}');\n  }`,
});

/** types.ts, operations.ts and the user's handler class for operations. */
export function contractFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  const dir = servicePath(service.name);
  const header = tsHeader(specPath).trimEnd();
  const key = (what: string) => serviceKey(service.name, what);
  const schemas = serviceSchemas(model, service);
  const opStubs = service.operations.map(operationStub);
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
      path: `${dir}/src/handlers/operations.ts`,
      owner: 'scaffold',
      key: key('handlers-operations'),
      content: render('service/handlers-operations.ts', { service: service.name, stubs: opStubs.map((s) => s.text) }),
      stubs: opStubs,
    },
  ];
}
