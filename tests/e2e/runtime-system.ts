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

  override async deleteItem(request: Op.DeleteItemRequest): Promise<Op.DeleteItemReply> {
    deleted.push(request.params.id);
    return { status: 204 };
  }

  override async deletions(request: Op.DeletionsRequest): Promise<Op.DeletionsReply> {
    return { status: 200, body: deleted };
  }
}

const deleted: number[] = [];
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

/** trips' operations: each call is written in a journal the test reads (GET /journal). */
const TRIPS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

const entries: string[] = [];
const tries = new Map<string, number>();

export class Operations extends OperationHandlers {
  override async book(request: Op.BookRequest): Promise<Op.BookReply> {
    entries.push(\`book \${request.body.trip}\`);
    return { status: 201, body: { bookingId: \`b-\${request.body.trip}\` } };
  }

  override async cancel(request: Op.CancelRequest): Promise<Op.CancelReply> {
    entries.push(\`cancel \${request.params.bookingId}\`);
    return { status: 204 };
  }

  override async pay(request: Op.PayRequest): Promise<Op.PayReply> {
    const { trip, bookingId, itemId } = request.body;
    const attempt = (tries.get(trip) ?? 0) + 1;
    tries.set(trip, attempt);
    entries.push(\`pay \${trip} \${bookingId} item \${itemId} (try \${attempt})\`);
    if (trip === 'broke') return { status: 402, body: { error: 'payment_required', message: 'no money left' } };
    if (trip.startsWith('flaky') && attempt === 1) throw new Error('the bank is away');
    return { status: 201, body: { paymentId: \`p-\${trip}\` } };
  }

  override async journal(request: Op.JournalRequest): Promise<Op.JournalReply> {
    return { status: 200, body: entries };
  }
}
`;

/** The steps of plan-trip: each builds its request from the input and the earlier results. */
export const PLAN_TRIP = `import { StepFailed } from '@microgen/runtime';
import { PlanTripSteps } from '../../generated/sagas.js';
import type * as Sg from '../../generated/sagas.js';

export class PlanTrip extends PlanTripSteps {
  override async book(run: Sg.PlanTripRun): Promise<Sg.PlanTripBookRequest> {
    return { body: { trip: run.input.trip } };
  }

  override async compensateBook(run: Sg.PlanTripRun, result: Sg.PlanTripBookResult): Promise<Sg.PlanTripCompensateBookRequest> {
    return { params: { bookingId: result.bookingId } };
  }

  override async addItem(run: Sg.PlanTripRun): Promise<Sg.PlanTripAddItemRequest> {
    return { body: { name: run.input.item } };
  }

  override async compensateAddItem(run: Sg.PlanTripRun, result: Sg.PlanTripAddItemResult): Promise<Sg.PlanTripCompensateAddItemRequest> {
    return { params: { id: result.id } };
  }

  override async pay(run: Sg.PlanTripRun): Promise<Sg.PlanTripPayRequest> {
    const booking = run.results.book;
    const item = run.results['add-item'];
    if (!booking || !item) throw new StepFailed('pay runs after book and add-item');
    return { body: { trip: run.input.trip, bookingId: booking.bookingId, itemId: item.id } };
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
    write('trips', 'operations.ts', TRIPS);
    write('trips', 'sagas/plan-trip.ts', PLAN_TRIP);
    const build = buildSystem(dir);
    if (build.code !== 0) throw new Error(`the runtime system does not build:\n${build.output}`);
    return dir;
  })();
  return built;
}
