/**
 * Runs one orchestrated saga for its host service: `start` stores a saga and runs it in the
 * background; its steps' actions run in order and, when one fails, the compensations of the steps
 * that succeeded run in reverse order. Every transition is written to the store before the next
 * call, so a saga survives its process: `open()` resumes the sagas left unfinished, and a lease
 * keeps replicas of the host from running one saga at once.
 *
 * Failures: a permanent one (`StepFailed`, a 4xx) fails an action at once; anything else
 * (a 5xx, a timeout, an open breaker, a refused connection) is retried after each of
 * `SAGA_RETRY_DELAYS`, and counts as a failure when they ran out. A compensation that fails for
 * good leaves the saga `stuck` until an operator retries it (`retry(id)`).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { parseRetryDelays } from '../events/topology.js';
import type { Resource } from '../resource.js';
import { isPermanent, SETTLED, viewOf, type HistoryEntry, type SagaDefinition, type SagaRecord, type SagaState, type SagaView, type StepRun } from './definition.js';
import type { SagaStore } from './store.js';

export const DEFAULT_SAGA_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30_000];
/** How long a saga stays leased to its owner without a renewal. */
export const DEFAULT_SAGA_LEASE_MS = 15_000;
/** How long `close()` waits for the calls in flight before leaving their sagas to the lease. */
const CLOSE_GRACE_MS = 5_000;
/** Sagas one look for unowned ones takes at most. */
const CLAIM_BATCH = 50;
/** How often `wait` looks at a saga that another replica runs. */
const WAIT_POLL_MS = 500;

export interface SagaEngineOptions<Input> {
  readonly definition: SagaDefinition<Input>;
  readonly store: SagaStore;
  readonly logger: Logger;
  /** The service's settings: `SAGA_RETRY_DELAYS` (`1s,5s,30s`), `SAGA_LEASE_MS` (15000). */
  readonly setting: (name: string) => string | undefined;
  /** Who holds the leases of the sagas this engine runs: unique per engine (the default is). */
  readonly owner?: string;
}

export interface StartOptions {
  /** The same key (for this saga) returns the saga it started instead of starting another. */
  readonly idempotencyKey?: string;
}

export interface SagaEngine<Input = unknown> extends Resource<SagaEngine<Input>> {
  readonly definition: SagaDefinition<Input>;
  readonly owner: string;
  /** Stores a saga and runs it in the background; resolves once it is stored. */
  start(input: Input, options?: StartOptions): Promise<SagaView>;
  get(id: string): Promise<SagaView | undefined>;
  list(filter?: { readonly state?: SagaState; readonly limit?: number }): Promise<SagaView[]>;
  /** Resumes a stuck saga where it stopped: 404 or 409 (`HttpError`) when there is none, or it is not stuck. */
  retry(id: string): Promise<SagaView>;
  /** The saga once it is settled (`completed`, `compensated`, `stuck`) or `ms` passed; undefined when there is none. */
  wait(id: string, ms: number): Promise<SagaView | undefined>;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly permanent: boolean; readonly error: string };

const entry = (event: string, step?: string, error?: string): HistoryEntry => ({
  at: new Date().toISOString(),
  event,
  ...(step !== undefined ? { step } : {}),
  ...(error !== undefined ? { error } : {}),
});

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What a step returned, as the JSON the store keeps (`undefined` → `null`). */
const asJson = (value: unknown): unknown => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown));

/** A duration in milliseconds from a setting (a positive integer), else `fallback`. */
function millisecondsOf(setting: (name: string) => string | undefined, name: string, fallback: number): number {
  const text = setting(name);
  if (text === undefined) return fallback;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name}: "${text}" is not a positive number of milliseconds`);
  return ms;
}

export function createSagaEngine<Input>(options: SagaEngineOptions<Input>): SagaEngine<Input> {
  const { definition, store, setting } = options;
  const name = definition.name;
  const logger = options.logger.child({ saga: name });
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const delays = parseRetryDelays(setting('SAGA_RETRY_DELAYS'), 'SAGA_RETRY_DELAYS', DEFAULT_SAGA_RETRY_DELAYS_MS);
  const leaseMs = millisecondsOf(setting, 'SAGA_LEASE_MS', DEFAULT_SAGA_LEASE_MS);
  const stepsByName = new Map(definition.steps.map((s) => [s.name, s]));

  /** The sagas this engine is running, by id. */
  const active = new Map<string, Promise<void>>();
  /** Ends the waits in progress: all of them at close; a saga's `wait` calls when it is written. */
  const wakers = new Set<() => void>();
  const waiters = new Map<string, Set<() => void>>();
  let closing = false;
  let timers: NodeJS.Timeout[] = [];

  /**
   * A wait of `ms` that ends sooner when woken: by `close`, or (given a saga id) by a write of that
   * saga. It listens from the moment it is made; `end()` drops it.
   */
  const pause = (ms: number, sagaId?: string): { readonly over: Promise<void>; readonly end: () => void } => {
    let end: () => void = () => undefined;
    const over = new Promise<void>((resolve) => {
      if (closing) return resolve();
      const timer = setTimeout(done, ms);
      let mine = wakers;
      if (sagaId !== undefined) waiters.set(sagaId, (mine = waiters.get(sagaId) ?? new Set()));
      mine.add(done);
      end = done;
      function done(): void {
        clearTimeout(timer);
        mine.delete(done);
        if (mine.size === 0 && sagaId !== undefined) waiters.delete(sagaId);
        resolve();
      }
    });
    return { over, end };
  };
  const wake = (wakes: Iterable<() => void> | undefined): void => {
    for (const done of [...(wakes ?? [])]) done();
  };

  /** Writes the record; false when another owner wrote it meanwhile (it took the saga over). */
  const save = async (record: SagaRecord): Promise<boolean> => {
    const saved = await store.save(record, owner, leaseMs);
    if (saved) record.version++;
    wake(waiters.get(record.id));
    return saved;
  };

  const attempt = async (record: SagaRecord, index: number, kind: 'action' | 'compensation', tries: number): Promise<Outcome> => {
    const stepRecord = record.steps[index];
    const step = stepsByName.get(stepRecord.name);
    const results: Record<string, unknown> = {};
    for (const s of record.steps) if ('result' in s) results[s.name] = s.result;
    const run: StepRun<Input> = {
      sagaId: record.id,
      saga: name,
      input: record.input as Input,
      results,
      idempotencyKey: `${record.id}/${stepRecord.name}/${kind}`,
      attempt: tries,
    };
    try {
      if (!step) throw new Error(`the saga has no step ${stepRecord.name} any more`);
      const work = kind === 'action' ? step.action : step.compensation;
      return { ok: true, value: asJson(await work?.call(step, run)) };
    } catch (err) {
      return { ok: false, permanent: isPermanent(err), error: messageOf(err) };
    }
  };

  /** After a failed try: whether one more is due, and waits for it (the failure written first). */
  const retryLater = async (record: SagaRecord, outcome: Outcome & { ok: false }, tries: number, event: string, step: string): Promise<boolean | 'lost'> => {
    if (outcome.permanent || tries > delays.length) return false;
    record.history.push(entry(event, step, outcome.error));
    logger.warn({ sagaId: record.id, step, attempt: tries }, `saga ${name} ${record.id}: ${step} failed (${outcome.error}); retrying in ${delays[tries - 1]}ms`);
    if (!(await save(record))) return 'lost';
    await pause(delays[tries - 1]).over;
    return true;
  };

  /** Ends a saga whose steps (or compensations) are all done; false when it was taken over. */
  const finish = (record: SagaRecord, state: 'completed' | 'compensated'): Promise<boolean> => {
    record.state = state;
    record.history.push(entry(state));
    logger.info({ sagaId: record.id }, `saga ${name} ${record.id} ${state}`);
    return save(record);
  };

  /** Runs the next action once, writing the transitions; false when the saga was taken over. */
  const forward = async (record: SagaRecord): Promise<boolean> => {
    const index = record.steps.findIndex((s) => s.state !== 'succeeded');
    if (index === -1) return finish(record, 'completed');
    const step = record.steps[index];
    step.state = 'running';
    step.attempts++;
    if (!(await save(record))) return false;
    const outcome = await attempt(record, index, 'action', step.attempts);
    if (outcome.ok) {
      step.state = 'succeeded';
      step.result = outcome.value;
      record.history.push(entry('step-succeeded', step.name));
      return save(record);
    }
    const again = await retryLater(record, outcome, step.attempts, 'step-retrying', step.name);
    if (again !== false) return again === true;
    step.state = 'failed';
    for (const later of record.steps.slice(index + 1)) later.state = 'skipped';
    record.state = 'compensating';
    record.history.push(entry('step-failed', step.name, outcome.error));
    logger.warn({ sagaId: record.id, step: step.name }, `saga ${name} ${record.id}: ${step.name} failed (${outcome.error}); compensating`);
    return save(record);
  };

  /** Runs the next compensation once, writing the transitions; false when the saga was taken over. */
  const backward = async (record: SagaRecord): Promise<boolean> => {
    const index = record.steps.findLastIndex((s) => (s.state === 'succeeded' || s.state === 'compensating') && stepsByName.get(s.name)?.compensation !== undefined);
    if (index === -1) return finish(record, 'compensated');
    const step = record.steps[index];
    step.state = 'compensating';
    step.compensationAttempts++;
    if (!(await save(record))) return false;
    const outcome = await attempt(record, index, 'compensation', step.compensationAttempts);
    if (outcome.ok) {
      step.state = 'compensated';
      record.history.push(entry('compensation-succeeded', step.name));
      return save(record);
    }
    const again = await retryLater(record, outcome, step.compensationAttempts, 'compensation-retrying', step.name);
    if (again !== false) return again === true;
    record.state = 'stuck';
    record.history.push(entry('compensation-failed', step.name, outcome.error), entry('stuck', step.name));
    logger.error({ sagaId: record.id, step: step.name }, `saga ${name} ${record.id} is stuck: compensating ${step.name} failed (${outcome.error}); retry it with POST /sagas/${name}/${record.id}/retry`);
    return save(record);
  };

  const drive = async (record: SagaRecord): Promise<void> => {
    while (!SETTLED.has(record.state)) {
      if (closing) {
        await store.release(name, record.id, owner);
        return;
      }
      const held = record.state === 'running' ? await forward(record) : await backward(record);
      if (!held) {
        logger.warn({ sagaId: record.id }, `saga ${name} ${record.id} was taken over by another owner; leaving it`);
        return;
      }
    }
  };

  const launch = (record: SagaRecord): void => {
    if (active.has(record.id) || closing) return;
    const run = drive(record)
      .catch((err: unknown) => {
        // The store failed (the database went away): the lease runs out and a claim resumes it.
        logger.error({ sagaId: record.id, err: { message: messageOf(err) } }, `saga ${name} ${record.id} paused: ${messageOf(err)}`);
      })
      .finally(() => active.delete(record.id));
    active.set(record.id, run);
  };

  /** Takes over the sagas whose owner stopped renewing (or this engine's own, after a restart). */
  const claim = async (): Promise<void> => {
    await store.prepare();
    const claimed = await store.claim(name, owner, leaseMs, [...active.keys()], CLAIM_BATCH);
    for (const record of claimed) {
      // Claimed while closing: give it straight back rather than hold it until the lease runs out.
      if (closing) {
        await store.release(name, record.id, owner);
        continue;
      }
      record.history.push(entry('resumed'));
      logger.info({ sagaId: record.id }, `saga ${name} ${record.id} resumed (${record.state})`);
      launch(record);
    }
  };

  const renew = async (): Promise<void> => {
    if (active.size > 0) await store.renew(name, [...active.keys()], owner, leaseMs);
  };

  const every = (ms: number, work: () => Promise<void>, what: string): NodeJS.Timeout => {
    const timer = setInterval(() => {
      work().catch((err: unknown) => logger.warn({ err: { message: messageOf(err) } }, `saga ${name}: ${what} failed: ${messageOf(err)}`));
    }, ms);
    timer.unref();
    return timer;
  };

  const find = async (id: string): Promise<SagaRecord> => {
    const record = await store.get(name, id);
    if (!record) throw new HttpError(404, `there is no ${name} saga ${id}`);
    return record;
  };

  const engine: SagaEngine<Input> = {
    name: `saga ${name}`,
    get client() {
      return engine;
    },
    definition,
    owner,

    async open() {
      closing = false;
      timers = [every(Math.max(10, Math.floor(leaseMs / 3)), renew, 'renewing leases'), every(Math.max(10, Math.floor(leaseMs / 2)), claim, 'looking for sagas to resume')];
      // A store that is away now only delays this: the claim timer tries again.
      await claim().catch((err: unknown) => logger.warn({ err: { message: messageOf(err) } }, `saga ${name}: cannot resume sagas yet: ${messageOf(err)}`));
    },

    health: () => store.prepare(),

    async close() {
      closing = true;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      wake(wakers);
      for (const waiting of [...waiters.values()]) wake(waiting);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(active.values()), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(grace);
    },

    describe: () => `saga ${name} (${definition.steps.length} steps)`,

    async start(input, { idempotencyKey } = {}) {
      if (closing) throw new HttpError(503, `saga ${name} is stopping`);
      await store.prepare();
      const record: SagaRecord = {
        id: randomUUID(),
        saga: name,
        state: 'running',
        input: asJson(input),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        steps: definition.steps.map((s) => ({ name: s.name, state: 'pending', attempts: 0, compensationAttempts: 0 })),
        history: [entry('started')],
        version: 0,
        createdAt: new Date().toISOString(),
      };
      const { record: stored, created } = await store.create(record, owner, leaseMs);
      const view = viewOf(stored);
      if (created) launch(stored);
      return view;
    },

    async get(id) {
      const record = await store.get(name, id);
      return record && viewOf(record);
    },

    async list({ state, limit = 100 } = {}) {
      return (await store.list(name, { state, limit })).map(viewOf);
    },

    async retry(id) {
      const record = await find(id);
      if (record.state !== 'stuck') throw new HttpError(409, `saga ${id} is ${record.state}: only a stuck saga can be retried`);
      record.state = 'compensating';
      for (const step of record.steps) if (step.state === 'compensating') step.compensationAttempts = 0;
      record.history.push(entry('retried'));
      if (!(await save(record))) throw new HttpError(409, `saga ${id} changed meanwhile; look again`);
      logger.info({ sagaId: id }, `saga ${name} ${id} retried`);
      launch(record);
      return viewOf(record);
    },

    async wait(id, ms) {
      const deadline = Date.now() + ms;
      for (;;) {
        // Listening before reading: a write between the read and the wait still wakes it. Woken
        // by this engine's own writes; polled for a saga another replica runs.
        const next = pause(Math.min(Math.max(deadline - Date.now(), 0), WAIT_POLL_MS), id);
        const record = await store.get(name, id);
        if (!record || SETTLED.has(record.state) || Date.now() >= deadline || closing) {
          next.end();
          return record && viewOf(record);
        }
        await next.over;
      }
    },
  };
  return engine;
}
