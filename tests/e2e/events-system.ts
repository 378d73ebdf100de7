/**
 * The events test system (fixtures/events.yaml), generated with test handlers written into the
 * user-owned files, then built; and what the tests around it share (databases, broker clean-up).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import pg from 'pg';
import { buildSystem, generateSystem } from '../helpers/system.js';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';

export const EVENTS_SPEC = 'tests/e2e/fixtures/events.yaml';
export const SHARED_BROKER = 'amqp://guest:guest@127.0.0.1:5672';
export const PG_SERVER = 'postgres://microgen:microgen@127.0.0.1:5432';

const ORDERS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async placeOrder(request: Op.PlaceOrderRequest): Promise<Op.PlaceOrderReply> {
    const { orderId, total } = request.body;
    await this.ctx.db.transaction(async () => {
      await this.ctx.db.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [orderId, total]);
      await this.ctx.publish('order.placed', { orderId, total });
      if (total === 0) await this.ctx.publish('user.joined', { userId: 1 });
    });
    return { status: 201 };
  }
}
`;

const EMITTER = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async burst(request: Op.BurstRequest): Promise<Op.BurstReply> {
    const { count, prefix } = request.body;
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, n) => this.ctx.publish('tick.sent', { n, prefix }).then(() => n)),
    );
    const confirmed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    return { status: 200, body: { confirmed, failed: count - confirmed.length } };
  }
}
`;

/** A subscriber without a database: what it handled, kept in memory and shown by GET /seen. */
const SEEN = `import type { EventMessage } from '@microgen/runtime';
import type * as Op from '../generated/operations.js';

const seen: Op.SeenReply['body'] = [];

export function record(message: EventMessage<string, unknown>): void {
  seen.push({ id: message.id, name: message.name, version: message.version, attempt: message.attempt, payload: JSON.stringify(message.payload) });
}

export function all(): Op.SeenReply['body'] {
  return seen;
}
`;

const SEEN_OPERATIONS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';
import { all } from './seen.js';

export class Operations extends OperationHandlers {
  override async seen(request: Op.SeenRequest): Promise<Op.SeenReply> {
    return { status: 200, body: all() };
  }
}
`;

const NOTIFIER_EVENTS = `import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';
import { record } from './seen.js';

export class Events extends EventHandlers {
  override async onOrder(message: Ev.OnOrderMessage): Promise<void> {
    // A union discriminated by name: payload.total exists only on order.placed.
    if (message.name === 'order.placed' && message.payload.total < 0) throw new Error(\`negative total \${message.payload.total}\`);
    record(message);
  }
}
`;

const AUDITOR_EVENTS = `import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';
import { record } from './seen.js';

export class Events extends EventHandlers {
  override async onUserJoined(message: Ev.OnUserJoinedMessage): Promise<void> {
    const userId: number = message.payload.userId;
    this.ctx.logger.info({ userId }, 'user joined');
    record(message);
  }
}
`;

const LEDGER_EVENTS = `import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';

export class Events extends EventHandlers {
  override async onTick(message: Ev.OnTickMessage): Promise<void> {
    // Runs in the transaction that records the message in the inbox: exactly once.
    await this.ctx.db.query('INSERT INTO ticks (message_id, prefix, n) VALUES ($1, $2, $3)', [message.id, message.payload.prefix, message.payload.n]);
  }
}
`;

const LEDGER_OPERATIONS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async ticks(request: Op.TicksRequest): Promise<Op.TicksReply> {
    const { rows } = await this.ctx.db.query<{ total: string; distinct: string }>('SELECT count(*) AS total, count(DISTINCT (prefix, n)) AS distinct FROM ticks');
    return { status: 200, body: { total: Number(rows[0].total), distinct: Number(rows[0].distinct) } };
  }
}
`;

let built: Promise<string> | undefined;

/** Generates, writes the test handlers and builds, once per test file. */
export function eventsSystem(): Promise<string> {
  built ??= (async () => {
    const dir = await generateSystem(EVENTS_SPEC, 'events');
    const write = (service: string, file: string, text: string) => writeFileSync(join(dir, 'services', service, 'src/handlers', file), text);
    write('orders', 'operations.ts', ORDERS);
    write('emitter', 'operations.ts', EMITTER);
    for (const s of ['notifier', 'auditor']) {
      write(s, 'seen.ts', SEEN);
      write(s, 'operations.ts', SEEN_OPERATIONS);
    }
    write('notifier', 'events.ts', NOTIFIER_EVENTS);
    write('auditor', 'events.ts', AUDITOR_EVENTS);
    write('ledger', 'events.ts', LEDGER_EVENTS);
    write('ledger', 'operations.ts', LEDGER_OPERATIONS);
    const build = buildSystem(dir);
    if (build.code !== 0) throw new Error(`the events system does not build:\n${build.output}`);
    return dir;
  })();
  return built;
}

/** A fresh database for one service of one test (dropped by `dropDatabases`), with the tables the handlers use. */
const created: string[] = [];
export async function freshDatabase(name: string): Promise<string> {
  const db = `ev_${name}_${process.pid}_${created.length}`;
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  created.push(db);
  const client = new pg.Client({ connectionString: `${PG_SERVER}/${db}` });
  await client.connect();
  await client.query('CREATE TABLE orders (id text PRIMARY KEY, total numeric NOT NULL)');
  await client.query('CREATE TABLE ticks (message_id text NOT NULL, prefix text NOT NULL, n integer NOT NULL)');
  await client.end();
  return `${PG_SERVER}/${db}`;
}

export async function query<Row>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Row[];
  } finally {
    await client.end();
  }
}

export async function dropDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  for (const db of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}

/** Deletes the system's queues on a broker, so a run starts from nothing. */
export async function deleteQueues(url: string, queues: readonly string[]): Promise<void> {
  const model = await connect(url);
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  for (const q of queues) {
    for (const name of [q, `${q}.dead`, `${q}.retry.100ms`, `${q}.retry.200ms`, `${q}.retry.1s`, `${q}.retry.10s`, `${q}.retry.1m`]) await channel.deleteQueue(name);
  }
  await channel.close();
  await model.close();
}

/** Starts a built service of the system with settings for tests: short retries, its own database. */
export function startService(dir: string, service: string, env: Record<string, string>): Promise<ServiceProcess> {
  return startServiceProcess(dir, service, { EVENT_RETRY_DELAYS: '100ms,200ms', ...env });
}

export async function getJson<T>(service: ServiceProcess, path: string): Promise<T> {
  const res = await fetch(`${service.url}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Seen {
  id: string;
  name: string;
  version: number;
  attempt: number;
  payload: string;
}
