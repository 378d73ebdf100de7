// A synthetic system of N services for benchmarks: each service has operations, schemas,
// publishes an event, subscribes to its neighbour's, calls the next service; every tenth
// service hosts an orchestrated saga over its neighbours; every service has a gateway route.
import { stringify } from 'yaml';

export function makeSpec(n) {
  const name = (i) => `svc-${String(i).padStart(4, '0')}`;
  const event = (i) => `svc${i}.changed`;
  const services = {};
  const events = {};
  const sagas = {};
  const routes = [];
  for (let i = 0; i < n; i++) {
    services[name(i)] = {
      description: `Synthetic service ${i}.`,
      port: 9000 + i,
      database: ['postgres', 'mongodb', 'redis', 'none'][i % 4],
      schemas: { Thing: { id: 'string', name: 'string', count: 'integer?', tags: 'string[]', state: 'new|used|gone' } },
      operations: {
        getThing: { http: 'GET /things/{id}', responses: { 200: 'Thing', 404: 'Error' } },
        listThings: { http: 'GET /things', query: { limit: 'integer?' }, responses: { 200: 'Thing[]' } },
        createThing: { http: 'POST /things', body: 'Thing', responses: { 201: 'Thing', 400: 'Error' } },
        deleteThing: { http: 'DELETE /things/{id}', responses: { 204: 'empty', 404: 'Error' } },
      },
      publishes: [event(i)],
      subscribes: [{ event: event((i + n - 1) % n) }],
      ...(i + 1 < n ? { calls: { [name(i + 1)]: { operations: ['getThing'] } } } : {}),
    };
    events[event(i)] = { payload: { id: 'string', at: 'date-time' } };
    routes.push({ path: `/api/${name(i)}`, service: name(i), stripPath: true, upstreamPath: '/things' });
    if (i % 10 === 0 && i + 2 < n) {
      sagas[`saga-${i}`] = {
        style: 'orchestration',
        steps: [
          { name: 'first', action: `${name(i)}.createThing`, compensation: `${name(i)}.deleteThing` },
          { name: 'second', action: `${name(i + 1)}.createThing`, compensation: `${name(i + 1)}.deleteThing` },
          { name: 'third', action: `${name(i + 2)}.createThing` },
        ],
      };
    }
  }
  return stringify({
    microgen: 1,
    name: `bench-${n}`,
    defaults: { timeout: '2s', retry: { attempts: 3, backoff: 'exponential', min: '100ms', max: '1s' } },
    broker: { kind: 'rabbitmq' },
    services,
    events,
    sagas,
    gateway: { port: 8000, routes },
  });
}
