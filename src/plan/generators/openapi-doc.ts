/**
 * Each service's OpenAPI document, built once per model: openapi.yaml and the Fastify route
 * schemas both read it (neither mutates it).
 */
import { openApiDocument } from '../../export/openapi.js';
import type { SystemModel } from '../../model/types.js';

const cache = new WeakMap<SystemModel, Map<string, Record<string, unknown>>>();

export function serviceOpenApi(model: SystemModel, service: string): Record<string, unknown> {
  let docs = cache.get(model);
  if (!docs) cache.set(model, (docs = new Map()));
  let doc = docs.get(service);
  if (!doc) docs.set(service, (doc = openApiDocument(model, service)));
  return doc;
}
