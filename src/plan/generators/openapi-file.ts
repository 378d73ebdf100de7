/** services/<name>/openapi.yaml: the service's OpenAPI 3.1 document (the one `microgen export openapi` prints). */
import type { Service } from '../../model/types.js';
import { toYaml } from '../../render/yaml.js';
import type { GenerateContext } from '../context.js';
import { hashHeader } from '../header.js';
import { serviceKey, servicePath } from '../paths.js';
import { serviceOpenApi } from './openapi-doc.js';
import type { PlannedFile } from '../tree.js';

export function openApiFile(ctx: GenerateContext, service: Service): PlannedFile {
  const doc = serviceOpenApi(ctx.model, service.name);
  const text = toYaml(doc);
  return { path: servicePath(service.name, 'openapi.yaml'), owner: 'generated', key: serviceKey(service.name, 'openapi'), content: hashHeader(ctx.specPath) + text };
}
