/**
 * The HTTP surface of a host's orchestrated sagas, as a Fastify plugin (its own validator and
 * error handler, like a service's routes):
 *
 * - `POST /sagas/<saga>` (body: the input; `Idempotency-Key` makes the start idempotent) → 202
 *   `{ id, saga, state }`; with `?wait=5s`, 200 and the saga once it settled within that time;
 * - `GET /sagas/<saga>/<id>` → `{ id, saga, state, steps: [{ name, state }], history }`;
 * - `GET /sagas/<saga>?state=stuck&limit=100` → those sagas, newest first;
 * - `POST /sagas/<saga>/<id>/retry` → 202 (409 when the saga is not stuck).
 *
 * Errors are in the `Error` shape; an unknown saga or id is a 404.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { parseDuration } from '../events/topology.js';
import { REQUEST_ID_HEADER } from '../request-id.js';
import { replyWithError } from '../service/routes.js';
import { validatorCompiler } from '../validation.js';
import { SETTLED, type SagaState, type SagaView } from './definition.js';
import type { SagaEngine } from './engine.js';

/** The longest `?wait` a start may ask for. */
export const MAX_WAIT_MS = 300_000;

const STATES: readonly SagaState[] = ['running', 'completed', 'compensating', 'compensated', 'stuck'];

export interface SagaRoutesOptions {
  readonly engines: readonly SagaEngine<unknown>[];
  /** The shared schemas the input schemas may refer to (`Name#`). */
  readonly components?: readonly object[];
}

const summary = ({ id, saga, state }: SagaView) => ({ id, saga, state });

function waitOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms > MAX_WAIT_MS) throw new HttpError(400, `wait: "${text}" is not a duration like 500ms or 5s, of at most 5m`);
  return ms;
}

export async function sagaRoutes(app: FastifyInstance, { engines, components = [] }: SagaRoutesOptions): Promise<void> {
  for (const schema of components) app.addSchema(schema);
  app.setValidatorCompiler(validatorCompiler(components));
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(replyWithError);
  app.addHook('onSend', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  for (const engine of engines) {
    const name = engine.definition.name;
    const inputSchema = engine.definition.inputSchema;
    const found = (view: SagaView | undefined, id: string): SagaView => {
      if (!view) throw new HttpError(404, `there is no ${name} saga ${id}`);
      return view;
    };

    app.post<{ Querystring: { wait?: string } }>(
      `/sagas/${name}`,
      { schema: { ...(inputSchema ? { body: inputSchema } : {}), querystring: { type: 'object', properties: { wait: { type: 'string' } } } } },
      async (request, reply) => {
        const waitMs = waitOf(request.query.wait);
        const key = request.headers['idempotency-key'];
        const started = await engine.start(request.body ?? {}, typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {});
        if (waitMs === undefined) return reply.code(202).send(summary(started));
        const view = found(await engine.wait(started.id, waitMs), started.id);
        return SETTLED.has(view.state) ? reply.code(200).send(view) : reply.code(202).send(summary(view));
      },
    );

    app.get<{ Params: { id: string } }>(`/sagas/${name}/:id`, async (request) => found(await engine.get(request.params.id), request.params.id));

    app.get<{ Querystring: { state?: SagaState; limit: number } }>(
      `/sagas/${name}`,
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { state: { type: 'string', enum: STATES }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          },
        },
      },
      async (request) => (await engine.list(request.query)).map(summary),
    );

    app.post<{ Params: { id: string } }>(`/sagas/${name}/:id/retry`, async (request, reply) => reply.code(202).send(summary(await engine.retry(request.params.id))));
  }

  // A saga this host does not run: 404 in the `Error` shape, naming the ones it does.
  const known = engines.map((e) => e.definition.name).join(', ') || 'none';
  const unknown = async (request: { params: unknown }): Promise<never> => {
    throw new HttpError(404, `there is no saga ${(request.params as { saga: string }).saga} here (sagas: ${known})`);
  };
  app.get('/sagas/:saga', unknown);
  app.post('/sagas/:saga', unknown);
  app.get('/sagas/:saga/:id', unknown);
  app.post('/sagas/:saga/:id/retry', unknown);
}
