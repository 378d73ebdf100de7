/**
 * The orchestrated sagas a service hosts, for a host (others get nothing): src/generated/sagas.ts
 * (per saga its input type and JSON Schema, the typed results of its steps, the abstract class of
 * its step code — one method per action and per compensation, each building the request of the
 * operation it calls — and its step table over the runtime's `callStep`/`compensationStep`), and
 * per saga the user-owned src/handlers/sagas/<saga>.ts with one stub per method.
 */
import { fieldsToObjectSchema } from '../../export/json-schema.js';
import { hostedSagas, serviceNamed, type Orchestration } from '../../model/lookup.js';
import { camelCase, constantCase, pascalCase, sagaStepMethods } from '../../model/names.js';
import type { OperationRef, Service, SystemModel, TypeRef } from '../../model/types.js';
import { render } from '../../render/templates.js';
import { abstractMethod, methodHead, tsLiteral } from '../../render/ts-literal.js';
import { objectType, tsKey } from '../../render/ts-types.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import { memberKeys, serviceKey, servicePath } from '../paths.js';
import type { MemberStub, PlannedFile } from '../tree.js';
import { clientProperty } from './clients.js';
import { T, usesRefs } from './contracts.js';

/** `import type * as OrderApi from './clients/order.js'`: how sagas.ts names a callee's client types. */
const apiAlias = (service: string): string => `${pascalCase(service)}Api`;

/** An operation a step calls, as sagas.ts names its types (`OrderApi.CreateOrderCall`). */
const callOf = (ref: OperationRef) => ({
  service: ref.service,
  what: `${ref.service}.${ref.operation}`,
  call: `${apiAlias(ref.service)}.${pascalCase(ref.operation)}Call`,
  reply: `${apiAlias(ref.service)}.${pascalCase(ref.operation)}Reply`,
  client: `clients.${clientProperty(ref.service)}.${ref.operation}`,
});

/** A saga's steps whose operations exist (unknown ones are lint errors): what the step class and table hold. */
function resolvedSteps(model: SystemModel, saga: Orchestration) {
  const exists = (ref: OperationRef): boolean => serviceNamed(model, ref.service)?.operations.some((o) => o.name === ref.operation) === true;
  return saga.steps.filter((st) => exists(st.action) && (!st.compensation || exists(st.compensation)));
}

/** How the code names a saga: the user's class, its file, its handlers property and its factory. */
const sagaNames = (saga: Orchestration) => ({
  userClass: pascalCase(saga.name),
  file: saga.name,
  property: camelCase(saga.name),
  factory: `${camelCase(saga.name)}Saga`,
});

function sagaView(model: SystemModel, service: Service, saga: Orchestration) {
  const type = pascalCase(saga.name);
  const run = `${type}Run`;
  const local = new Set(service.schemas.map((s) => s.name));
  // The schemas the input names are the host's components (`Item#`; `shared.Item#` when the host has its own Item).
  const ref = (r: Extract<TypeRef, { kind: 'ref' }>): string => `${r.scope !== 'service' && local.has(r.name) ? `${r.scope}.` : ''}${r.name}#`;
  const steps = resolvedSteps(model, saga).map((st) => {
    const methods = sagaStepMethods(st.name);
    const action = callOf(st.action);
    const result = `${type}${pascalCase(st.name)}Result`;
    const request = (method: string): string => `${type}${pascalCase(method)}Request`;
    return {
      name: st.name,
      key: tsKey(st.name),
      result,
      resultType: `StepResult<${action.reply}>`,
      action: { ...action, method: methods.action, request: request(methods.action), declaration: abstractMethod(methods.action, [`run: ${run}`], `Promise<${request(methods.action)}>`) },
      compensation: st.compensation && {
        ...callOf(st.compensation),
        method: methods.compensation,
        request: request(methods.compensation),
        declaration: abstractMethod(methods.compensation, [`run: ${run}`, `result: ${result}`], `Promise<${request(methods.compensation)}>`),
      },
    };
  });
  return {
    ...sagaNames(saga),
    name: saga.name,
    type,
    className: `${type}Steps`,
    run,
    input: `${type}Input`,
    // `Record<string, never>` for a saga without input: an interface cannot say "no fields" as such.
    inputDeclaration: saga.input.length > 0 ? `export interface ${type}Input ${objectType(saga.input, '', T)}` : `export type ${type}Input = Record<string, never>;`,
    schemaConst: `${constantCase(saga.name)}_INPUT_SCHEMA`,
    schema: tsLiteral(fieldsToObjectSchema(saga.input, ref), '', `export const ${constantCase(saga.name)}_INPUT_SCHEMA = ;`.length),
    results: `${type}Results`,
    steps,
  };
}

type SagaView = ReturnType<typeof sagaView>;

/** The user's stub methods of one saga's step class. */
function sagaStubs(view: SagaView): MemberStub[] {
  return view.steps.flatMap((st) => {
    const stub = (method: string, params: string[], request: string, doing: string): MemberStub => ({
      key: memberKeys.sagaStep(method),
      className: view.userClass,
      memberName: method,
      text: `${methodHead(`override async ${method}`, params, `Promise<Sg.${request}>`)}\n    throw new NotImplemented('${view.name}: ${doing}');\n  }`,
    });
    const action = stub(st.action.method, [`run: Sg.${view.run}`], st.action.request, `${st.name}`);
    if (!st.compensation) return [action];
    return [action, stub(st.compensation.method, [`run: Sg.${view.run}`, `result: Sg.${st.result}`], st.compensation.request, `compensating ${st.name}`)];
  });
}

/** The sagas a service hosts, as the service definition wires them. */
export const sagaWiring = (model: SystemModel, service: Service) => hostedSagas(model.sagas, service.name).map(sagaNames);

export function sagaFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  const { model, specPath } = ctx;
  if (!service.features.sagas) return [];
  const hosted = hostedSagas(model.sagas, service.name);
  const sagas = hosted.map((saga) => sagaView(model, service, saga));
  const calls = sagas.flatMap((s) => s.steps.flatMap((st) => (st.compensation ? [st.action, st.compensation] : [st.action])));
  const callees = [...new Set(calls.map((c) => c.service))].sort();
  const inputs = hosted.flatMap((s) => s.input.map((f) => f.type));
  const files: PlannedFile[] = [
    {
      path: servicePath(service.name, 'src/generated/sagas.ts'),
      owner: 'generated',
      key: serviceKey(service.name, 'sagas'),
      content: render('service/sagas.ts', {
        header: tsHeader(specPath).trimEnd(),
        service: service.name,
        compensates: sagas.some((s) => s.steps.some((st) => st.compensation)),
        callees: callees.map((c) => ({ alias: apiAlias(c), file: c })),
        usesTypes: usesRefs(inputs),
        sagas,
      }),
    },
  ];
  for (const view of sagas) {
    const stubs = sagaStubs(view);
    files.push({
      path: servicePath(service.name, `src/handlers/sagas/${view.file}.ts`),
      owner: 'scaffold',
      key: serviceKey(service.name, `handlers-saga:${view.name}`),
      content: render('service/handlers-saga.ts', { saga: view.name, className: view.userClass, base: view.className, stubs: stubs.map((s) => s.text) }),
      stubs,
    });
  }
  return files;
}
