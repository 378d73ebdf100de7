/** What `microgen export` produces: the API contracts of a model as YAML or JSON documents. */
import type { SystemModel } from '../model/types.js';
import { toYaml } from '../render/yaml.js';
import { asyncApiDocument } from './asyncapi.js';
import { openApiDocument } from './openapi.js';

export const EXPORT_KINDS = ['openapi', 'asyncapi'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportedDocument {
  /** The service it describes, or the system's name for AsyncAPI. */
  readonly name: string;
  /** Its file name when written to a folder. */
  readonly file: string;
  readonly text: string;
}

/**
 * OpenAPI: one document per service (only `service`'s, when given), in service-name order.
 * AsyncAPI: one document for the system (`service`'s part of it, when given).
 */
export function exportDocuments(model: SystemModel, kind: ExportKind, options: { service?: string; json?: boolean } = {}): ExportedDocument[] {
  const ext = options.json ? 'json' : 'yaml';
  const serialise = (doc: unknown): string => (options.json ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc));
  const { service } = options;
  if (kind === 'asyncapi') {
    const doc = asyncApiDocument(model, service !== undefined ? { service } : {});
    return [{ name: service ?? model.name, file: `${service ? `${service}.` : ''}asyncapi.${ext}`, text: serialise(doc) }];
  }
  const services = service !== undefined ? [service] : model.services.map((s) => s.name).sort();
  return services.map((name) => ({ name, file: `${name}.openapi.${ext}`, text: serialise(openApiDocument(model, name)) }));
}

/** YAML documents as one multi-document stream, each after a comment naming it. */
export const yamlStream = (docs: readonly ExportedDocument[]): string => docs.map((d) => `# ${d.name}\n${d.text}`).join('---\n');
