/**
 * Fastify route schemas of one service, taken from its OpenAPI document so that what the
 * server validates and serialises is exactly what `openapi.yaml` says. Components become
 * shared schemas (`app.addSchema({ $id: 'User', … })`) and `#/components/schemas/User`
 * references become `User#`, the form Ajv and fast-json-stringify resolve.
 */
import { COMPONENTS_PREFIX, type JsonSchema } from '../../export/json-schema.js';
import type { Service, SystemModel } from '../../model/types.js';
import { serviceOpenApi } from './openapi-doc.js';

export interface RouteSchema {
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  response?: Record<string, JsonSchema>;
}

export interface RouteSchemas {
  /** Shared schemas, each with its `$id`. */
  readonly components: JsonSchema[];
  /** By operation name. */
  readonly routes: Record<string, RouteSchema>;
}

/** Rewrites component references (`#/components/schemas/User`) into shared-schema references (`User#`). */
export function fastifyRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fastifyRefs);
  if (!value || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  const map = value as Record<string, unknown>;
  for (const k in map) {
    const v = map[k];
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENTS_PREFIX) ? `${v.slice(COMPONENTS_PREFIX.length)}#` : fastifyRefs(v);
  }
  return out;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function parametersSchema(parameters: ParameterObject[]): JsonSchema | undefined {
  if (parameters.length === 0) return undefined;
  const properties: JsonSchema = {};
  for (const p of parameters) properties[p.name] = p.description !== undefined ? { ...p.schema, description: p.description } : p.schema;
  const required = parameters.filter((p) => p.required).map((p) => p.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

export function routeSchemas(model: SystemModel, service: Service): RouteSchemas {
  const doc = serviceOpenApi(model, service.name) as unknown as {
    paths: Record<string, Record<string, { operationId: string; parameters?: ParameterObject[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses?: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const components = Object.entries(doc.components.schemas).map(([id, schema]) => ({ $id: id, ...(fastifyRefs(schema) as JsonSchema) }));
  const routes: Record<string, RouteSchema> = {};
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) {
      const parameters = op.parameters ?? [];
      const schema: RouteSchema = {};
      const params = parametersSchema(parameters.filter((p) => p.in === 'path'));
      const querystring = parametersSchema(parameters.filter((p) => p.in === 'query'));
      const body = op.requestBody?.content['application/json']?.schema;
      if (params) schema.params = params;
      if (querystring) schema.querystring = querystring;
      if (body) schema.body = body;
      const response: Record<string, JsonSchema> = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const s = r.content?.['application/json']?.schema;
        if (s) response[status] = s;
      }
      if (Object.keys(response).length > 0) schema.response = response;
      routes[op.operationId] = fastifyRefs(schema) as RouteSchema;
    }
  }
  // Spec order, not path order: the generated file reads like the spec.
  const ordered: Record<string, RouteSchema> = {};
  for (const op of service.operations) if (routes[op.name]) ordered[op.name] = routes[op.name];
  return { components, routes: ordered };
}
