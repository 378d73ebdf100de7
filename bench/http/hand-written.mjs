// The baseline of `npm run bench:http`: the same route written by hand with Fastify, the same
// schemas, the same logger settings, no microgen runtime. Run from the generated system's
// folder (so `fastify` and `pino` resolve there) with PORT set.
import Fastify from 'fastify';
import { pino } from 'pino';

const item = {
  $id: 'Item',
  type: 'object',
  properties: { id: { type: 'integer' }, shelf: { type: 'integer' }, name: { type: 'string' }, price: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['id', 'shelf', 'name', 'price'],
};
const error = { $id: 'Error', type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error', 'message'] };

const app = Fastify({ loggerInstance: pino({ name: 'items', level: process.env.LOG_LEVEL ?? 'info' }) });
app.addSchema(item);
app.addSchema(error);
app.post(
  '/shelves/:shelf/items',
  {
    schema: {
      params: { type: 'object', properties: { shelf: { type: 'integer' } }, required: ['shelf'] },
      body: {
        type: 'object',
        properties: { name: { type: 'string' }, price: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['name', 'price'],
      },
      response: { 201: { $ref: 'Item#' }, 400: { $ref: 'Error#' } },
    },
  },
  async (request, reply) => {
    const { name, price, tags } = request.body;
    return reply.code(201).send({ id: 1, shelf: request.params.shelf, name, price, tags });
  },
);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
const stop = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
