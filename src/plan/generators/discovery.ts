/**
 * `discovery.kind: consul`: src/generated/discovery.ts registers the service with the local
 * Consul agent at start (with an HTTP check on /health), deregisters it on shutdown, and finds
 * healthy instances of callees. All through Consul's HTTP API with fetch: no dependency.
 * With `dns` nothing is generated: clients use plain service URLs.
 */
import type { Service } from '../../model/types.js';
import { render } from '../../render/templates.js';
import type { GenerateContext } from '../context.js';
import { tsHeader } from '../header.js';
import type { PlannedFile } from '../tree.js';

export const DEFAULT_CONSUL_URL = 'http://127.0.0.1:8500';

export function discoveryFiles(ctx: GenerateContext, service: Service): PlannedFile[] {
  if (ctx.model.discovery !== 'consul') return [];
  return [
    {
      path: `services/${service.name}/src/generated/discovery.ts`,
      owner: 'generated',
      key: `service:${service.name}:discovery`,
      content: render('service/discovery.ts', {
        header: tsHeader(ctx.specPath).trimEnd(),
        consulUrl: DEFAULT_CONSUL_URL,
        calls: service.calls.length > 0,
      }),
    },
  ];
}
