/**
 * One service as an OpenAPI 3.1 document. Pure and deterministic (the generator writes it as
 * each service's `openapi.yaml`, `microgen export openapi` prints it): paths sorted, methods
 * in the usual order, components sorted; fields keep the order of the spec.
 *
 * - parameters: the path's `{param}`s (typed by `params`, strings otherwise), then `query` fields;
 * - requestBody: `body` as `application/json`, required;
 * - responses: one per status, `application/json` content, or none for `empty`; a `400` with the
 *   `Error` shape is added when the operation takes input and does not declare one, because the
 *   generated service answers invalid input that way (SPEC §5);
 * - components.schemas: the service's own schemas, the shared schemas it uses (transitively) and `Error`.
 */
import type { NamedSchema, Operation, Service, SystemModel, TypeRef } from '../model/types.js';
import { hostedSagas } from '../model/lookup.js';
import { walkType } from '../model/type-string.js';
import { COMPONENTS_PREFIX, ERROR_SCHEMA, fieldToJsonSchema, typeToJsonSchema, type JsonSchema } from './json-schema.js';

export const OPENAPI_VERSION = '3.1.0';

const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 412: 'Precondition Failed', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The reason phrase of a status, for the required response `description`. */
export function statusDescription(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'Success' : status < 400 ? 'Redirection' : status < 500 ? 'Client error' : 'Server error');
}

type Ref = Extract<TypeRef, { kind: 'ref' }>;

/** How schemas of one service are named in its components (a shared schema a local one shadows gets `shared.`). */
function componentNamer(service: Service) {
  const local = new Set(service.schemas.map((s) => s.name));
  const key = (ref: Pick<Ref, 'name' | 'scope'>): string => (ref.scope === 'shared' && local.has(ref.name) ? `shared.${ref.name}` : ref.name);
  return { key, ref: (r: Ref): string => `${COMPONENTS_PREFIX}${key(r)}` };
}

function operationTypes(op: Operation): TypeRef[] {
  return [...op.params.map((f) => f.type), ...op.query.map((f) => f.type), ...(op.body ? [op.body] : []), ...op.responses.map((r) => r.type)];
}

/** The shared schemas a service uses, directly or through other schemas. */
function usedSharedSchemas(model: SystemModel, service: Service): NamedSchema[] {
  const shared = new Map(model.schemas.map((s) => [s.name, s]));
  const used = new Map<string, NamedSchema>();
  // The inputs of the sagas it hosts are checked against these components too (`POST /sagas/<saga>`).
  const sagaInputs = hostedSagas(model.sagas, service.name).flatMap((s) => s.input.map((f) => f.type));
  const queue: TypeRef[] = [...service.operations.flatMap(operationTypes), ...service.schemas.map((s) => s.type), ...sagaInputs];
  while (queue.length > 0) {
    for (const t of walkType(queue.pop()!)) {
      if (t.kind !== 'ref' || t.scope !== 'shared' || used.has(t.name)) continue;
      const schema = shared.get(t.name);
      if (!schema) continue;
      used.set(t.name, schema);
      queue.push(schema.type);
    }
  }
  return [...used.values()];
}

function namedSchemaToJson(schema: NamedSchema, ref: (r: Ref) => string): JsonSchema {
  return typeToJsonSchema(schema.type, ref);
}

/** Input that validation can reject: a body, a query, or a path parameter that is not any string. */
function needsValidationResponse(op: Operation): boolean {
  const anyString = (t: TypeRef): boolean => t.kind === 'primitive' && t.name === 'string';
  const takesInput =
    op.params.some((f) => !anyString(f.type) || f.constraints !== undefined) || op.query.length > 0 || (op.body !== undefined && op.body.kind !== 'empty');
  return takesInput && !op.responses.some((r) => r.status === 400);
}

function operationObject(op: Operation, ref: (r: Ref) => string, errorRef: string): JsonSchema {
  const parameters: JsonSchema[] = [
    ...op.params.map((f) => ({
      name: f.name,
      in: 'path',
      required: true,
      ...(f.description !== undefined ? { description: f.description } : {}),
      schema: stripDescription(fieldToJsonSchema(f, ref)),
    })),
    ...op.query.map((f) => ({
      name: f.name,
      in: 'query',
      required: !f.optional,
      ...(f.description !== undefined ? { description: f.description } : {}),
      schema: stripDescription(fieldToJsonSchema(f, ref)),
    })),
  ];
  const responses: Record<string, JsonSchema> = {};
  const all = [...op.responses.map((r) => ({ status: r.status, type: r.type }))];
  if (needsValidationResponse(op)) all.push({ status: 400, type: { kind: 'ref', name: 'Error', scope: 'builtin' } });
  all.sort((a, b) => a.status - b.status);
  for (const r of all) {
    const description = statusDescription(r.status);
    if (r.type.kind === 'empty') responses[String(r.status)] = { description };
    else {
      const schema = r.type.kind === 'ref' && r.type.scope === 'builtin' ? { $ref: errorRef } : typeToJsonSchema(r.type, ref);
      responses[String(r.status)] = { description, content: { 'application/json': { schema } } };
    }
  }
  return {
    operationId: op.name,
    ...(op.description !== undefined ? { summary: op.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body !== undefined && op.body.kind !== 'empty'
      ? { requestBody: { required: true, content: { 'application/json': { schema: typeToJsonSchema(op.body, ref) } } } }
      : {}),
    ...(Object.keys(responses).length > 0 ? { responses } : {}),
  };
}

/** A parameter carries its description itself; its schema need not repeat it. */
function stripDescription(schema: JsonSchema): JsonSchema {
  const { description: _unused, ...rest } = schema;
  return rest;
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The OpenAPI 3.1 document of one service. Throws when the model has no such service. */
export function openApiDocument(model: SystemModel, serviceName: string): Record<string, unknown> {
  const service = model.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`the spec has no service named "${serviceName}"`);
  const namer = componentNamer(service);
  const errorKey = service.schemas.some((s) => s.name === 'Error') ? 'builtin.Error' : 'Error';
  const ref = (r: Ref): string => (r.scope === 'builtin' ? `${COMPONENTS_PREFIX}${errorKey}` : namer.ref(r));

  const paths: Record<string, Record<string, JsonSchema>> = {};
  const ops = [...service.operations].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : METHOD_ORDER.indexOf(a.method.toLowerCase()) - METHOD_ORDER.indexOf(b.method.toLowerCase()),
  );
  for (const op of ops) {
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op, ref, `${COMPONENTS_PREFIX}${errorKey}`);
  }

  const schemas: Record<string, JsonSchema> = {};
  const entries: [string, JsonSchema][] = [
    ...service.schemas.map((s): [string, JsonSchema] => [s.name, namedSchemaToJson(s, ref)]),
    ...usedSharedSchemas(model, service).map((s): [string, JsonSchema] => [namer.key({ name: s.name, scope: 'shared' }), namedSchemaToJson(s, ref)]),
    [errorKey, structuredClone(ERROR_SCHEMA)],
  ];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, schema] of entries) schemas[key] = schema;

  const description = service.description ?? `The ${service.name} service of ${model.name}.`;
  return {
    openapi: OPENAPI_VERSION,
    info: { title: `${model.name} ${service.name}`, version: '1.0.0', description },
    servers: [{ url: `http://localhost:${service.port}`, description: `${service.name} on this machine` }],
    paths,
    components: { schemas },
  };
}

/** Every service's document, by service name (sorted). */
export function openApiDocuments(model: SystemModel): [string, Record<string, unknown>][] {
  return [...model.services].sort(byName).map((s) => [s.name, openApiDocument(model, s.name)]);
}
