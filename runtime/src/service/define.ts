/**
 * `defineService` turns a generated definition into what `src/main.ts` starts, and what a
 * composition of several services (the monolith, `microgen dev`) mounts.
 */
import { loadDotEnv } from '../env.js';
import type { ContextOf, ResourceFactories, ServiceDefinition } from './definition.js';
import { runService, StartError, stopOnSignals, type RunningService, type ServiceOptions } from './service.js';

export interface ServiceModule<Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks> {
  readonly definition: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks>;
  /**
   * Runs the service as this process: reads `.env`, listens, stops gracefully on SIGTERM/SIGINT.
   * A start-up failure (a port in use, say) is one line on stderr and exit code 1.
   */
  start(options?: ServiceOptions<ContextOf<Name, R, Clients>, Ops, Events, Fallbacks>): Promise<RunningService<ContextOf<Name, R, Clients>>>;
  /** Runs the service without touching the process (tests, compositions); failures are thrown. */
  run(options?: ServiceOptions<ContextOf<Name, R, Clients>, Ops, Events, Fallbacks>): Promise<RunningService<ContextOf<Name, R, Clients>>>;
}

export function defineService<const Name extends string, R extends ResourceFactories, Clients, Ops, Events, Fallbacks>(
  definition: ServiceDefinition<Name, R, Clients, Ops, Events, Fallbacks>,
): ServiceModule<Name, R, Clients, Ops, Events, Fallbacks> {
  return {
    definition,
    run: (options) => runService(definition, options),
    async start(options) {
      loadDotEnv();
      try {
        const running = await runService(definition, options);
        stopOnSignals(running.stop, running.ctx.logger);
        return running;
      } catch (err) {
        process.stderr.write(`${err instanceof StartError ? err.message : `${definition.name} failed to start: ${(err as Error).message}`}\n`);
        process.exit(1);
      }
    },
  };
}
