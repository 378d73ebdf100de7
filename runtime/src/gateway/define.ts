/**
 * `defineGateway` turns the generated gateway definition into what `gateway/src/main.ts` starts,
 * and what a whole system in one process (`microgen dev`, the monolith) runs beside its services.
 */
import { loadDotEnv } from '../env.js';
import { startAsProcess } from '../process.js';
import { signToken } from './auth.js';
import type { GatewayDefinition } from './definition.js';
import { GATEWAY, runGateway, type GatewayOptions, type RunningGateway } from './gateway.js';

export interface GatewayModule<Services extends Readonly<Record<string, number>>> {
  readonly definition: GatewayDefinition<Services> & { readonly name: typeof GATEWAY };
  /**
   * Runs the gateway as this process: reads `.env`, listens, stops gracefully on SIGTERM/SIGINT.
   * A start-up failure (a port in use, a JWT secret missing) is one line on stderr and exit code 1.
   */
  start(options?: GatewayOptions): Promise<RunningGateway>;
  /** Runs the gateway without touching the process (tests, compositions); failures are thrown. */
  run(options?: GatewayOptions): Promise<RunningGateway>;
  /** A token the gateway accepts, for trying the system locally (HS256 only); valid for an hour. */
  token(subject: string, env?: NodeJS.ProcessEnv): Promise<string>;
  /** `npm run token`: reads `.env`, prints a token for `subject` (default `dev-user`), or one line saying why not. */
  printToken(subject?: string): Promise<void>;
}

export function defineGateway<const Services extends Readonly<Record<string, number>>>(definition: GatewayDefinition<Services>): GatewayModule<Services> {
  const named = { ...definition, name: GATEWAY } as const;
  return {
    definition: named,
    run: (options) => runGateway(named, options),
    start: (options) => startAsProcess(GATEWAY, (running) => running.app.log, () => runGateway(named, options)),
    token: (subject, env = process.env) => signToken(definition.jwt ?? {}, env, subject),
    async printToken(subject = 'dev-user') {
      loadDotEnv();
      try {
        process.stdout.write(`${await signToken(definition.jwt ?? {}, process.env, subject)}\n`);
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  };
}
