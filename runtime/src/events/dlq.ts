/**
 * `npm run dlq -- list|retry [queue] …` in a generated system: the dead letters of its
 * subscriptions on RabbitMQ, and putting them back. The system's root package.json runs this
 * file with `--topology events.json`, the generated list of its subscription queues
 * (`<service>.<handler>`); `--queues a,b` names them directly.
 *
 *   npm run dlq -- list                       every subscription: how many, and the first ones with their reasons
 *   npm run dlq -- list order.onPaymentAny    one subscription
 *   npm run dlq -- retry order.onPaymentAny   re-queue all of them (first deliveries again)
 *   npm run dlq -- retry order.onPaymentAny --id 3f2c…   only that message
 *
 * Options: `--limit N` (messages shown per queue, default 20), `--json`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadDotEnv } from '../env.js';
import { listDeadLetters, retryDeadLetters } from './amqp.js';

export interface DlqIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const USAGE = `usage: npm run dlq -- list [queue] [--limit N] [--json]
       npm run dlq -- retry [queue] [--id MESSAGE_ID ...]`;

interface Args {
  queues: string[];
  command?: string;
  queue?: string;
  ids: string[];
  limit: number;
  json: boolean;
}

function parse(argv: readonly string[]): Args | string {
  const args: Args = { queues: [], ids: [], limit: 20, json: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => argv[++i];
    if (a === '--queues') args.queues = (value() ?? '').split(',').filter(Boolean);
    else if (a === '--topology') {
      const file = value();
      try {
        const topology = JSON.parse(readFileSync(file ?? '', 'utf8')) as { queues?: { queue: string }[] };
        args.queues = (topology.queues ?? []).map((q) => q.queue);
      } catch (err) {
        return `cannot read the topology file ${file ?? ''}: ${(err as Error).message}`;
      }
    }
    else if (a === '--id') {
      const id = value();
      if (!id) return '--id needs a message id';
      args.ids.push(id);
    } else if (a === '--limit') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) return '--limit needs a whole number';
      args.limit = n;
    } else if (a === '--json') args.json = true;
    else if (a === '--help' || a === '-h') return USAGE;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else rest.push(a);
  }
  [args.command, args.queue] = rest;
  if (rest.length > 2) return `unexpected ${rest.slice(2).join(' ')}`;
  return args;
}

/** Runs the command; resolves with the exit code (0 done, 1 the broker or a queue failed, 2 usage). */
export async function dlqMain(argv: readonly string[], io: DlqIo): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    io.err(args === USAGE ? USAGE : `${args}\n${USAGE}`);
    return args === USAGE ? 0 : 2;
  }
  if (args.command !== 'list' && args.command !== 'retry') {
    io.err(`${args.command === undefined ? 'say list or retry' : `unknown command ${args.command}`}\n${USAGE}`);
    return 2;
  }
  if (args.queue !== undefined && args.queues.length > 0 && !args.queues.includes(args.queue)) {
    io.err(`${args.queue} is not a subscription queue of this system (they are: ${args.queues.join(', ')})`);
    return 2;
  }
  const queues = args.queue !== undefined ? [args.queue] : args.queues;
  if (queues.length === 0) {
    io.err('no subscription queues to look at');
    return 2;
  }
  const url = io.env.BROKER_URL;
  if (!url) {
    io.err('BROKER_URL is not set: without a broker, events stay inside each service process and its dead letters are in its log');
    return 1;
  }
  try {
    if (args.command === 'list') {
      const reports = await listDeadLetters(url, queues, args.limit);
      if (args.json) io.out(JSON.stringify(reports, null, 2));
      else {
        for (const r of reports) {
          if (r.error) {
            io.out(`${r.queue}: ${r.error}`);
            continue;
          }
          io.out(`${r.queue}: ${r.count} dead letter(s)${r.count > r.messages.length ? `, the first ${r.messages.length} shown` : ''}`);
          for (const m of r.messages) {
            io.out(`  ${m.id ?? '(no id)'}  ${m.name ?? '(no event name)'}${m.at ? `  ${m.at}` : ''}${m.attempts ? `  after ${m.attempts} attempt(s)` : ''}`);
            io.out(`    ${m.reason}`);
          }
        }
      }
      return reports.some((r) => r.error) ? 1 : 0;
    }
    const results = await retryDeadLetters(url, queues, args.ids.length > 0 ? args.ids : undefined);
    if (args.json) io.out(JSON.stringify(results, null, 2));
    else for (const r of results) io.out(r.error ? `${r.queue}: ${r.error}` : `${r.queue}: ${r.moved} message(s) re-queued`);
    return results.some((r) => r.error) ? 1 : 0;
  } catch (err) {
    io.err(`cannot reach the broker at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${(err as Error).message}`);
    return 1;
  }
}

/** As a script: `node dlq.js --queues a,b list`. */
const invoked = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invoked) {
  loadDotEnv();
  const code = await dlqMain(process.argv.slice(2), { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), env: process.env });
  process.exitCode = code;
}
