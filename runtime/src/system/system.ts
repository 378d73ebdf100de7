/**
 * A whole system in one process: every service (each on its own port, as when they run apart)
 * and the gateway. This is what `microgen dev` runs and what `deploy.mode: monolith` ships:
 * the same service definitions and handlers, so switching between one process and many changes
 * no user code. Services in one process read only their `<SERVICE>_<NAME>` settings, and share
 * the process's in-memory event bus unless `BROKER_URL` names a broker.
 */
import type { Logger } from 'pino';
import { createLogger } from '../logger.js';
import { startAsProcess } from '../process.js';
import { healthReport, type Resource } from '../resource.js';

/** Options every part of a system is run with. */
export interface PartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  readonly shared?: boolean;
}

/** A running service or gateway, as the system sees it. */
export interface RunningPart {
  readonly name: string;
  readonly url: string;
  readonly resources?: readonly Resource[];
  stop(): Promise<void>;
}

/** A service module (defineService) or the gateway module, as the system runs it. */
export interface SystemPart {
  readonly definition: { readonly name: string };
  run(options: PartOptions): Promise<RunningPart>;
}

export interface SystemDefinition {
  readonly name: string;
  readonly services: readonly SystemPart[];
  /** Started after the services, stopped before them. */
  readonly gateway?: SystemPart;
}

export interface RunningSystem {
  readonly name: string;
  readonly services: readonly RunningPart[];
  readonly gateway?: RunningPart;
  stop(): Promise<void>;
}

export interface SystemOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Each part's logger; default: a pino logger named after the part. */
  readonly logger?: (part: string) => Logger;
}

/** How long the start-up summary waits for each resource's health. */
const SUMMARY_HEALTH_MS = 500;

export interface PartReport {
  readonly name: string;
  readonly url: string;
  readonly resources: readonly { readonly name: string; readonly what: string; readonly up: boolean }[];
}

/** For the start-up summary: where each part listens, what backs its resources, and whether they answer. */
export async function reportSystem(system: RunningSystem, logger: Logger): Promise<PartReport[]> {
  const parts = [...(system.gateway ? [system.gateway] : []), ...system.services];
  return Promise.all(
    parts.map(async (p) => {
      const resources = p.resources ?? [];
      // Start-up just connected (or failed to): a short look is enough, and the summary says what is down.
      const health = await healthReport(resources, logger, { timeoutMs: SUMMARY_HEALTH_MS, quiet: true });
      return { name: p.name, url: p.url, resources: resources.map((r) => ({ name: r.name, what: r.describe?.() ?? r.name, up: health.checks[r.name] === 'up' })) };
    }),
  );
}

export async function runSystem(def: SystemDefinition, options: SystemOptions = {}): Promise<RunningSystem> {
  const env = options.env ?? process.env;
  const loggerOf = options.logger ?? createLogger;
  const runPart = (part: SystemPart) => part.run({ env, shared: true, logger: loggerOf(part.definition.name) });
  const stopAll = async (parts: readonly RunningPart[]): Promise<void> => {
    await Promise.allSettled(parts.map((p) => p.stop()));
  };
  // All at once: opening embedded databases and connecting overlap. When one fails, the others
  // that started are stopped before the failure is reported.
  const results = await Promise.allSettled(def.services.map(runPart));
  const services = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll(services);
    throw failed.reason;
  }
  let gateway: RunningPart | undefined;
  try {
    gateway = def.gateway ? await runPart(def.gateway) : undefined;
  } catch (err) {
    await stopAll(services);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    name: def.name,
    services,
    gateway,
    stop: () =>
      (stopping ??= (async () => {
        if (gateway) await gateway.stop();
        await stopAll(services);
      })()),
  };
}

export interface SystemModule {
  readonly definition: SystemDefinition;
  /** Runs the whole system as this process (one line and exit 1 when it cannot start). */
  start(options?: SystemOptions): Promise<RunningSystem>;
  /** Runs it without touching the process; failures are thrown. */
  run(options?: SystemOptions): Promise<RunningSystem>;
}

export function defineSystem(definition: SystemDefinition): SystemModule {
  const run = async (options?: SystemOptions): Promise<RunningSystem> => {
    const running = await runSystem(definition, options);
    const logger = createLogger(definition.name);
    logger.info({ parts: await reportSystem(running, logger) }, `${definition.name} is running`);
    return running;
  };
  return {
    definition,
    run,
    start: (options) => startAsProcess(definition.name, () => createLogger(definition.name), () => run(options)),
  };
}
