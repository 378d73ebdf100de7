/**
 * @microgen/runtime: what every generated service runs on. Generated code is typed glue over
 * this package: route tables, clients, handler base classes and the service definition.
 */
export { defineService, type ServiceModule } from './service/define.js';
export type {
  ClientDeps,
  ContextOf,
  HandlerFactories,
  HttpMethod,
  OperationRequest,
  ResourceFactories,
  RouteDef,
  ServiceDefinition,
} from './service/definition.js';
export { openService, runService, serviceApp, StartError, stopOnSignals, type OpenedService, type RunningService, type ServiceApp, type ServiceOptions } from './service/service.js';
export { replyWithError, serviceRoutes } from './service/routes.js';
export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  memoryIdempotencyStore,
  postgresIdempotencyStore,
  type ClaimOutcome,
  type IdempotencyStore,
  type RecordedResponse,
} from './service/idempotency.js';
export { errorBody, errorCode, HttpError, NotImplemented, type ErrorBody } from './errors.js';
export { CallError, type CallFailure } from './http/call-error.js';
export { fillPath, queryString, retryDelay, ServiceCaller, type BreakerPolicy, type CallPolicy, type ClientOperation, type ClientRequest, type HttpReply, type RetryPolicy } from './http/caller.js';
export { fixedEndpoint, type Endpoint } from './http/endpoint.js';
export { consulEndpoint, registerWithConsul, type Registration } from './discovery/consul.js';
export { loadDotEnv, parseDotEnv, serviceUrlVariable, serviceVariablePrefix, settingOf } from './env.js';
export { createLogger, type Logger } from './logger.js';
export { currentRequestId, newRequestId, REQUEST_ID_HEADER, requestIdOf, withRequestId } from './request-id.js';
export { healthReport, withTimeout, type HealthReport, type Resource, type ResourceEnv, type ResourceFactory } from './resource.js';
export { validatorCompiler } from './validation.js';
export { defineSystem, reportSystem, runSystem, type PartReport, type RunningPart, type RunningSystem, type SystemDefinition, type SystemModule, type SystemPart } from './system/system.js';
export { startAsProcess } from './process.js';
export type { EventMessage, WireMessage } from './events/message.js';
export type { EventCatalog, EventSpec, EventsDefinition, HandlerName, Publish, Receiver, Subscription } from './events/definition.js';
export { eventBus, InvalidEvent, type EventBus, type EventBusOptions } from './events/bus.js';
export { memoryBroker, memoryTransport, MemoryBroker } from './events/memory.js';
export { memoryDeduper, type Deduper } from './events/dedupe.js';
export type { EventStore, Relay } from './events/outbox.js';
export { PublishError, type ConsumerSpec, type DeadLetter, type Delivery, type Outcome, type Transport } from './events/transport.js';
export { deadQueueName, parseRetryDelays, queueName, receiverQueues, retryQueueName, subscriptionTopology, topicMatches, type QueueBinding, type QueueTopology } from './events/topology.js';
export { isPermanent, SETTLED, StepFailed, stepResult, viewOf, type AnyResults, type AnySagaDefinition, type HistoryEntry, type SagaDefinition, type SagaRecord, type SagaState, type SagaStep, type SagaView, type StepRecord, type StepRun, type StepState } from './saga/definition.js';
export { callStep, compensationStep, type KeyedSend, type StepRequest, type StepResult } from './saga/steps.js';
export { createSagaEngine, DEFAULT_SAGA_LEASE_MS, DEFAULT_SAGA_RETRY_DELAYS_MS, type SagaEngine, type SagaEngineOptions, type StartOptions } from './saga/engine.js';
export { memorySagaStore, type SagaStore } from './saga/store.js';
export { postgresSagaStore } from './saga/postgres-store.js';
export { MAX_WAIT_MS, sagaRoutes, type SagaRoutesOptions } from './saga/routes.js';
