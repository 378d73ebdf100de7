/**
 * An orchestrated saga in a generated system, end to end: plan-trip in the runtime test system
 * (fixtures/runtime.yaml), hosted by trips (PostgreSQL: the machine's server) with real user code
 * for its steps (runtime-system.ts), calling trips itself and catalog over HTTP. A started saga
 * completes with the callees' records; a failing last step is compensated last step first; a
 * step retried after a 5xx keeps its Idempotency-Key (the callee replays what it recorded under
 * it); the saga outlives a restart of its host; a step that builds the wrong request fails tsc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { buildSystem } from '../helpers/system.js';
import { PLAN_TRIP, runtimeSystem } from './runtime-system.js';

const DATABASE_URL = 'postgres://microgen:microgen@127.0.0.1:5432/trips';

interface SagaView {
  id: string;
  saga: string;
  state: string;
  steps: { name: string; state: string }[];
  history: { event: string; step?: string; error?: string }[];
}

describe('a generated saga host', () => {
  let dir: string;
  let catalog: ServiceProcess;
  let trips: ServiceProcess;
  let tripsUrl: string;
  let tripsPort: number;

  const startTrips = async (): Promise<ServiceProcess> =>
    startServiceProcess(dir, 'trips', {
      PORT: String(tripsPort),
      DATABASE_URL,
      TRIPS_SERVICE_URL: tripsUrl,
      CATALOG_SERVICE_URL: catalog.url,
      SAGA_RETRY_DELAYS: '100ms,100ms',
    });

  beforeAll(async () => {
    dir = await runtimeSystem();
    catalog = await startServiceProcess(dir, 'catalog');
    tripsPort = await freePort();
    tripsUrl = `http://127.0.0.1:${tripsPort}`;
    trips = await startTrips();
  }, 600_000);

  afterAll(async () => {
    await trips?.stop('SIGKILL');
    await catalog?.stop('SIGKILL');
  });

  const start = async (input: object): Promise<SagaView> => {
    const res = await fetch(`${tripsUrl}/sagas/plan-trip?wait=10s`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(res.status).toBe(200);
    return (await res.json()) as SagaView;
  };
  const journal = async (): Promise<string[]> => (await (await fetch(`${tripsUrl}/journal`)).json()) as string[];

  it('keeps its sagas in PostgreSQL: no warning about memory, and a saga engine in /health', async () => {
    expect(trips.output()).not.toContain('in memory');
    const health = (await (await fetch(`${tripsUrl}/health`)).json()) as { checks: Record<string, string> };
    expect(health.checks).toEqual({ database: 'up', 'saga plan-trip': 'up' });
  });

  it('checks the input against its schema', async () => {
    const res = await fetch(`${tripsUrl}/sagas/plan-trip`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trip: 'x' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('bad_request');
  });

  it('runs the steps in order, each building its request from the input and the earlier results', async () => {
    const view = await start({ trip: 'rome', item: 'tent' });
    expect(view.state).toBe('completed');
    expect(view.steps).toEqual([
      { name: 'book', state: 'succeeded' },
      { name: 'add-item', state: 'succeeded' },
      { name: 'pay', state: 'succeeded' },
    ]);
    expect(await journal()).toEqual(expect.arrayContaining(['book rome', 'pay rome b-rome item 7 (try 1)']));
  });

  it('compensates the succeeded steps, last first, when the last step fails', async () => {
    const view = await start({ trip: 'broke', item: 'stove' });
    expect(view.state).toBe('compensated');
    expect(view.history.find((h) => h.event === 'step-failed')).toMatchObject({ step: 'pay', error: 'trips.pay answered 402: no money left' });
    expect(view.history.filter((h) => h.event === 'compensation-succeeded').map((h) => h.step)).toEqual(['add-item', 'book']);
    expect(view.steps.map((s) => s.state)).toEqual(['compensated', 'compensated', 'failed']);
    const entries = await journal();
    expect(entries.slice(entries.indexOf('book broke'))).toEqual(['book broke', 'pay broke b-broke item 7 (try 1)', 'cancel b-broke']);
    expect((await (await fetch(`${catalog.url}/deletions`)).json()) as number[]).toContain(7);
  });

  it('retries a step that failed with a 5xx under the same Idempotency-Key, which the callee recorded', async () => {
    const trip = `flaky-${Date.now()}`;
    const view = await start({ trip, item: 'map' });
    expect(view.state).toBe('completed');
    expect((await journal()).filter((e) => e.startsWith(`pay ${trip}`))).toEqual([`pay ${trip} b-${trip} item 7 (try 1)`, `pay ${trip} b-${trip} item 7 (try 2)`]);
    // The same request with the step's key is answered from trips' record: the handler does not run again.
    const replay = await fetch(`${tripsUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${view.id}/pay/action` },
      body: JSON.stringify({ trip, bookingId: `b-${trip}`, itemId: 7 }),
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual({ paymentId: `p-${trip}` });
    expect((await journal()).filter((e) => e.startsWith(`pay ${trip}`))).toHaveLength(2);
  });

  it('finds its sagas again after a restart', async () => {
    const view = await start({ trip: 'oslo', item: 'boots' });
    expect(await trips.stop('SIGTERM')).toBe(0);
    trips = await startTrips();
    const again = (await (await fetch(`${tripsUrl}/sagas/plan-trip/${view.id}`)).json()) as SagaView;
    expect(again).toMatchObject({ id: view.id, state: 'completed' });
  }, 60_000);

  it('fails the build when a step builds the wrong request', () => {
    const file = join(dir, 'services/trips/src/handlers/sagas/plan-trip.ts');
    expect(readFileSync(file, 'utf8')).toBe(PLAN_TRIP);
    writeFileSync(file, PLAN_TRIP.replace('return { body: { name: run.input.item } };', 'return { body: { name: 42 } };'));
    try {
      const build = buildSystem(dir, ['services/trips']);
      expect(build.code).not.toBe(0);
      expect(build.output).toMatch(/services\/trips\/src\/handlers\/sagas\/plan-trip\.ts.*error TS2322: Type 'number' is not assignable to type 'string'/s);
    } finally {
      writeFileSync(file, PLAN_TRIP);
    }
  }, 120_000);
});
