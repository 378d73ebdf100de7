/**
 * A service's HTTP surface as a Fastify plugin: its shared schemas, the validator, one validated
 * route per row of the generated route table, and errors in the `Error` shape. A plugin, so that
 * several services can share one server (the monolith, `microgen dev`) with each keeping its own
 * schemas, validator and error handler (Fastify's encapsulation).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { errorBody, errorCode, HttpError, type ErrorBody } from '../errors.js';
import { CallError } from '../http/call-error.js';
import type { HttpReply } from '../http/caller.js';
import { REQUEST_ID_HEADER, withRequestId } from '../request-id.js';
import { validatorCompiler } from '../validation.js';
import type { OperationRequest, RouteDef } from './definition.js';
import { answerOnce, IDEMPOTENCY_KEY_HEADER, UNSAFE_METHODS, type IdempotencyStore } from './idempotency.js';

/** Calls the handler method a route names. */
function invoke<Ops>(operations: Ops, route: RouteDef<Ops>, request: OperationRequest): Promise<HttpReply> {
  const method = operations[route.operation] as unknown as (this: Ops, request: OperationRequest) => Promise<HttpReply>;
  if (typeof method !== 'function') throw new HttpError(501, `${route.operation} has no handler`, 'not_implemented');
  return method.call(operations, request);
}

/** The status and `Error` body for whatever a route threw: declared errors keep their status, the rest is a 500 that is logged. */
export function errorReply(error: FastifyError | Error, request: FastifyRequest): { status: number; body: ErrorBody } {
  if (error instanceof CallError) {
    request.log.warn({ callee: error.service, operation: error.operation, reason: error.reason }, 'call to another service failed');
    return { status: error.replyStatus, body: { error: error.reason.replace('-', '_'), message: error.message } };
  }
  if (error instanceof HttpError) {
    if (error.status >= 500 && error.status !== 501) request.log.error({ err: error }, 'handler failed');
    return { status: error.status, body: { error: error.code, message: error.message } };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, body: errorBody(400, error.message) };
  const status = typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 ? fastifyError.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'handler failed');
    return { status, body: errorBody(status, 'internal server error') };
  }
  if (status === 415) {
    // Fastify says only "Unsupported Media Type"; name what came and what is accepted.
    const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().slice(0, 100);
    return { status, body: { error: errorCode(415), message: `a body of type ${type || '(none)'} is not accepted here; send application/json` } };
  }
  return { status, body: { error: errorCode(status), message: error.message } };
}

/** Answers whatever a route threw in the `Error` shape (the routes' error handler). */
export function replyWithError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReply(error, request);
  return reply.header(REQUEST_ID_HEADER, request.id).code(status).send(body);
}

export interface RoutesOptions<Ops> {
  readonly components: readonly object[];
  readonly routes: readonly RouteDef<Ops>[];
  readonly operations: Ops;
  /** Make the request id the current one while the handler runs (`currentRequestId`), for the events it publishes. */
  readonly trackRequestId?: boolean;
  /** Where `Idempotency-Key`s are kept; without one the header is ignored. */
  readonly idempotency?: IdempotencyStore;
}

/**
 * Registers the routes. The request id header is set where each reply is made rather than in an
 * `onRequest` hook: a hook costs a route a noticeable share of its throughput.
 */
export async function serviceRoutes<Ops>(app: FastifyInstance, options: RoutesOptions<Ops>): Promise<void> {
  for (const schema of options.components) app.addSchema(schema);
  app.setValidatorCompiler(validatorCompiler(options.components));
  // Fastify reads text/plain bodies as strings by default; an operation takes JSON, so any
  // other media type is a 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(replyWithError);
  for (const route of options.routes) {
    const call = (input: OperationRequest): Promise<HttpReply> =>
      options.trackRequestId ? withRequestId(input.requestId, () => invoke(options.operations, route, input)) : invoke(options.operations, route, input);
    // GET, HEAD and OPTIONS ignore `Idempotency-Key`.
    const store = UNSAFE_METHODS.has(route.method) ? options.idempotency : undefined;
    app.route({
      method: route.method,
      url: route.url,
      schema: route.schema,
      handler: async (request, reply) => {
        const input: OperationRequest = {
          params: request.params,
          query: request.query,
          body: request.body,
          requestId: request.id,
          // Fastify types its request loggers loosely; they are children of the service's pino logger.
          log: request.log as Logger,
        };
        // Only a request that carries the header pays for it.
        if (store && request.headers[IDEMPOTENCY_KEY_HEADER] !== undefined) {
          return answerOnce(store, request, reply, () => call(input).catch((err: Error) => errorReply(err, request)));
        }
        const result = await call(input);
        return reply
          .header(REQUEST_ID_HEADER, request.id)
          .code(result.status)
          .send('body' in result ? result.body : undefined);
      },
    });
  }
}
