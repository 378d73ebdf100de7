/**
 * The runtime test system (fixtures/runtime.yaml), generated with test handlers written into
 * the user-owned files, then built. Shared by the service-*.test.ts files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSystem, generateSystem } from '../helpers/system.js';

export const RUNTIME_SPEC = 'tests/e2e/fixtures/runtime.yaml';

const CATALOG = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async createItem(request: Op.CreateItemRequest): Promise<Op.CreateItemReply> {
    if (request.body.name === 'taken') return { status: 409, body: { error: 'conflict', message: 'name taken' } };
    request.log.info({ item: request.body.name }, 'creating item');
    return { status: 201, body: { id: 7, name: request.body.name, tags: request.body.tags ?? [] } };
  }

  override async getItem(request: Op.GetItemRequest): Promise<Op.GetItemReply> {
    if (request.params.id === 404) return { status: 404, body: { error: 'not_found', message: 'no item 404' } };
    // An extra property: the response schema must not let it out.
    const item = { id: request.params.id, name: request.query.verbose ? 'verbose' : 'plain', secret: 'hidden' };
    return { status: 200, body: item };
  }
}
`;

const ACCOUNTS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async countTables(request: Op.CountTablesRequest): Promise<Op.CountTablesReply> {
    const result = await this.ctx.db.query<{ count: string }>('SELECT count(*) AS count FROM pg_catalog.pg_tables');
    return { status: 200, body: { count: Number(result.rows[0].count) } };
  }
}
`;

const SESSIONS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async hit(request: Op.HitRequest): Promise<Op.HitReply> {
    const count = await this.ctx.db.incr(\`hits:\${request.params.key}\`);
    return { status: 200, body: { count } };
  }
}
`;

const FRONT = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async relayFlaky(request: Op.RelayFlakyRequest): Promise<Op.RelayFlakyReply> {
    const reply = await this.ctx.clients.flaky.getThing({ params: { id: request.params.id }, requestId: request.requestId });
    switch (reply.status) {
      case 200:
        return { status: 200, body: reply.body };
      case 404:
        return { status: 404, body: reply.body };
    }
  }

  override async makeFlaky(request: Op.MakeFlakyRequest): Promise<Op.MakeFlakyReply> {
    const reply = await this.ctx.clients.flaky.makeThing({ body: { name: request.body.name }, requestId: request.requestId });
    return { status: 201, body: reply.body };
  }

  override async relayFragile(request: Op.RelayFragileRequest): Promise<Op.RelayFragileReply> {
    const reply = await this.ctx.clients.fragile.getThing({ params: { id: request.params.id } });
    return reply.status === 200 ? { status: 200, body: reply.body } : { status: 404, body: reply.body };
  }
}
`;

const FRONT_FALLBACKS = `import { FallbackHandlers } from '../generated/fallbacks.js';
import type * as Fb from '../generated/fallbacks.js';

export class Fallbacks extends FallbackHandlers {
  override async fragileGetThing(request: Fb.FragileGetThingCall, error: Fb.CallError): Promise<Fb.FragileGetThingReply> {
    return { status: 200, body: { id: request.params.id, name: \`fallback:\${error.reason}\` } };
  }

  override async orderHistoryRoot(request: Fb.OrderHistoryRootCall, error: Fb.CallError): Promise<Fb.OrderHistoryRootReply> {
    return { status: 200, body: { ok: false } };
  }

  override async orderHistorySearch(request: Fb.OrderHistorySearchCall, error: Fb.CallError): Promise<Fb.OrderHistorySearchReply> {
    throw error;
  }
}
`;

let built: Promise<string> | undefined;

/** Generates, writes the test handlers and builds, once per test file. */
export function runtimeSystem(): Promise<string> {
  built ??= (async () => {
    const dir = await generateSystem(RUNTIME_SPEC, 'runtime');
    const write = (service: string, file: string, text: string) => writeFileSync(join(dir, 'services', service, 'src/handlers', file), text);
    write('catalog', 'operations.ts', CATALOG);
    write('accounts', 'operations.ts', ACCOUNTS);
    write('sessions', 'operations.ts', SESSIONS);
    write('front', 'operations.ts', FRONT);
    write('front', 'fallbacks.ts', FRONT_FALLBACKS);
    const build = buildSystem(dir);
    if (build.code !== 0) throw new Error(`the runtime system does not build:\n${build.output}`);
    return dir;
  })();
  return built;
}
