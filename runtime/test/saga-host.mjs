// A saga host as a process of its own, for runtime/test/saga.e2e.test.ts to kill mid-saga: the
// built runtime (runtime/dist), a saga whose steps `SAGA_STEPS` (comma-separated) each POST
// `<CALLEE_URL>/steps/<step>` with their idempotency key, sagas kept in PostgreSQL at DATABASE_URL.
// Starts one saga with the input in SAGA_INPUT and prints `{ id }`; then runs until killed.
import pg from 'pg';
import { pino } from 'pino';
import { createSagaEngine, fixedEndpoint, postgresSagaStore, ServiceCaller, stepResult } from '../dist/index.js';
import { poolDatabase } from '../dist/db/postgres.js';

const env = process.env;
const caller = new ServiceCaller('remote', { timeoutMs: 60_000, retry: { attempts: 1, backoff: 'fixed', minMs: 10, maxMs: 10 }, breaker: { failMax: 1000, resetTimeoutMs: 1000 } }, fixedEndpoint(env.CALLEE_URL), pino({ level: 'silent' }));
const step = (name) => ({
  name,
  action: async (run) =>
    stepResult(await caller.call({ name, method: 'POST', path: `/steps/${name}`, statuses: [201] }, { body: run.input, headers: { 'idempotency-key': run.idempotencyKey } })),
});
const engine = createSagaEngine({
  definition: { name: env.SAGA_NAME, steps: env.SAGA_STEPS.split(',').map(step) },
  store: postgresSagaStore(poolDatabase(new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 }))),
  logger: pino({ level: 'warn' }),
  setting: (name) => env[name],
  owner: env.SAGA_OWNER,
});
await engine.open();
const { id } = await engine.start(JSON.parse(env.SAGA_INPUT));
process.stdout.write(`${JSON.stringify({ id })}\n`);
