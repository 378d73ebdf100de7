/**
 * `defineService` turns a generated definition into what `src/main.ts` starts, and what a
 * composition of several services (the monolith, `microgen dev`) mounts.
 */
import { startAsProcess } from '../process.js';
import type { ContextOf, ResourceFactories, ServiceDefinition } from './definition.js';
import { runService, type RunningService, type ServiceOptions } from './service.js';

export interface ServiceModule<Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks, Published = {}, Sagas = unknown> {
  readonly definition: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks, Published, Sagas>;
  /**
   * Runs the service as this process: reads `.env`, listens, stops gracefully on SIGTERM/SIGINT.
   * A start-up failure (a port in use, say) is one line on stderr and exit code 1.
   */
  start(options?: ServiceOptions<ContextOf<Name, R, Clients, Published>, Ops, Events, Fallbacks, Sagas>): Promise<RunningService<ContextOf<Name, R, Clients, Published>>>;
  /** Runs the service without touching the process (tests, compositions); failures are thrown. */
  run(options?: ServiceOptions<ContextOf<Name, R, Clients, Published>, Ops, Events, Fallbacks, Sagas>): Promise<RunningService<ContextOf<Name, R, Clients, Published>>>;
}

export function defineService<const Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks, Published = {}, Sagas = unknown>(
  definition: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks, Published, Sagas>,
): ServiceModule<Name, R, Clients, Ops, Events, Fallbacks, Published, Sagas> {
  return {
    definition,
    run: (options) => runService(definition, options),
    start: (options) =>
      startAsProcess(
        definition.name,
        (running) => running.ctx.logger,
        () => runService(definition, options),
      ),
  };
}
