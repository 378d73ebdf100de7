/**
 * `microgen add service|event|operation|route`: edit the spec in place, keeping its comments
 * and layout (src/edit/insert.ts), lint the result before writing anything, write it
 * atomically, then regenerate. On a terminal, missing arguments are asked for through the
 * plop generators (src/cli/prompts.ts); elsewhere a missing argument is a usage error.
 */
import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatText } from '../../diagnostics/format/text.js';
import {
  AddInputError,
  AddRefused,
  describeAdd,
  nextFreePort,
  type SpecData,
  parseBody,
  parseFields,
  parsePort,
  parseResponses,
  parseVersion,
  planAdd,
  validateInput,
  type AddInput,
  type AddKind,
} from '../../edit/add.js';
import { EditError } from '../../edit/insert.js';
import { writeFileAtomic } from '../../edit/write.js';
import { lintBytes, lintText, type LintResult } from '../../lint.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { ask, type Answers, type PromptContext } from '../prompts.js';
import { readSpecBytes, resolveSpec, type SpecFile } from '../spec-file.js';
import { runGenerate } from './generate.js';

interface CommonOptions {
  spec?: string;
  /** `--no-generate` sets it to false. */
  generate?: boolean;
}

/** Required inputs of each kind, with how to name them in a usage error. */
const REQUIRED: Record<AddKind, Array<[keyof Answers & string, string]>> = {
  service: [['name', 'the service NAME']],
  event: [
    ['name', 'the event NAME'],
    ['fields', 'at least one --field name:type'],
  ],
  operation: [
    ['service', 'the SERVICE'],
    ['name', 'the operation NAME'],
    ['http', '--http "METHOD /path"'],
  ],
  route: [
    ['path', 'the route PATH'],
    ['service', '--service'],
  ],
};

const EXAMPLE: Record<AddKind, string> = {
  service: 'microgen add service billing --port 8010 --db postgres',
  event: 'microgen add event order.shipped --field orderId:string --field shippedAt:date-time --publisher order --subscriber notification',
  operation: 'microgen add operation order getOrder --http "GET /orders/{id}" --response 200:Order --response 404:Error',
  route: 'microgen add route /api/orders --service order --strip-path --upstream-path /orders',
};

const missingOf = (kind: AddKind, raw: Answers): Array<[string, string]> =>
  REQUIRED[kind].filter(([k]) => raw[k] === undefined || raw[k] === '');

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const list = (v: string | boolean | undefined): string[] => (str(v) ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Flags or answers (the same strings either way) → a typed input. */
export function toInput(kind: AddKind, raw: Answers): AddInput {
  switch (kind) {
    case 'service': {
      const port = str(raw.port);
      return { kind, name: str(raw.name)!, ...(port ? { port: parsePort(port) } : {}), ...(str(raw.db) ? { database: str(raw.db) } : {}) };
    }
    case 'event': {
      const version = str(raw.version);
      const [publishers, subscribers] = [list(raw.publishers), list(raw.subscribers)];
      return {
        kind,
        name: str(raw.name)!,
        fields: parseFields(list(raw.fields)),
        ...(version ? { version: parseVersion(version) } : {}),
        ...(publishers.length ? { publishers } : {}),
        ...(subscribers.length ? { subscribers } : {}),
      };
    }
    case 'operation': {
      const body = str(raw.body);
      return { kind, service: str(raw.service)!, name: str(raw.name)!, http: str(raw.http)!.replace(/\s+/g, ' '), ...(body ? { body: parseBody(body) } : {}), responses: parseResponses(list(raw.responses)) };
    }
    case 'route':
      return {
        kind,
        path: str(raw.path)!,
        service: str(raw.service)!,
        ...(raw.stripPath === true ? { stripPath: true } : {}),
        ...(str(raw.upstreamPath) ? { upstreamPath: str(raw.upstreamPath) } : {}),
        ...(str(raw.auth) ? { auth: str(raw.auth) } : {}),
      };
  }
}

function readSpec(io: Io, specArg: string | undefined): { spec: SpecFile; bytes: Buffer; lint: LintResult } {
  const spec = resolveSpec(io.cwd, specArg);
  const bytes = readSpecBytes(spec);
  return { spec, bytes, lint: lintBytes(spec.display, bytes) };
}

const errorsOf = (r: LintResult): Diagnostic[] => r.diagnostics.filter((d) => d.severity === 'error');

function contextOf(lint: LintResult): PromptContext {
  const data = (lint.source?.data ?? {}) as SpecData & { gateway?: { auth?: unknown } | null };
  const services = data.services ?? {};
  return {
    services: Object.keys(services),
    events: Object.keys(data.events ?? {}),
    operations: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, Object.entries(s?.operations ?? {}).map(([name, o]) => ({ name, http: o?.http }))])),
    routes: (data.gateway?.routes ?? []).map((r) => r?.path ?? ''),
    nextPort: nextFreePort(data),
    gatewayAuth: Boolean(data.gateway?.auth),
  };
}

/**
 * On a terminal, a GET without `--response` asks for its responses (suggesting none: microgen
 * then picks one named after the resource) rather than answering only 204.
 */
function alsoAsk(io: Io, kind: AddKind, raw: Answers): Answers | undefined {
  if (!io.isTTY || kind !== 'operation' || raw.responses !== undefined || !/^GET\s/i.test(str(raw.http) ?? '')) return undefined;
  return { ...raw, body: raw.body ?? '' };
}

/** Warnings the edit introduced (the spec's existing warnings were seen before). */
function newWarnings(before: LintResult, after: LintResult): Diagnostic[] {
  const seen = new Set(before.diagnostics.map((d) => `${d.rule}\0${d.message}`));
  return after.diagnostics.filter((d) => d.severity === 'warning' && !seen.has(`${d.rule}\0${d.message}`));
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AddInputError) throw new UsageError(err.message);
    throw err;
  }
}

/** The whole command once the arguments are known (from flags or prompts). */
export async function runAdd(io: Io, kind: AddKind, raw: Answers, opts: CommonOptions): Promise<number> {
  const missing = missingOf(kind, raw);
  if (missing.length && !io.isTTY) {
    throw new UsageError(`missing ${missing.map(([, what]) => what).join(' and ')} (no terminal to ask on); for example: ${EXAMPLE[kind]}`);
  }
  // Bad names are usage mistakes whatever the spec says: report them before reading it.
  if (!missing.length) usage(() => validateInput(toInput(kind, raw)));
  const { spec, bytes, lint: before } = readSpec(io, opts.spec);
  if (errorsOf(before).length) {
    io.err(formatText(errorsOf(before), io.errPaint));
    io.err(`${spec.display} has errors; fix them before adding to it (the spec was not changed)\n`);
    return 1;
  }
  const more = missing.length ? raw : alsoAsk(io, kind, raw);
  const answers = more ? await ask(kind, more, contextOf(before)) : raw;
  let input: AddInput;
  let text: string;
  try {
    input = toInput(kind, answers);
    ({ input, text } = planAdd(before.source!, input));
  } catch (err) {
    if (err instanceof AddInputError) throw new UsageError(err.message);
    if (err instanceof AddRefused || err instanceof EditError) {
      io.err(`${io.errPaint.red('error')}: ${err.message}; ${spec.display} was not changed\n`);
      return 1;
    }
    throw err;
  }
  const after = lintText(spec.display, text);
  if (errorsOf(after).length) {
    io.err(formatText(errorsOf(after), io.errPaint));
    io.err(`adding ${describeAdd(input)} would make the spec invalid (the lines above are those of the edited spec); ${spec.display} was not changed\n`);
    return 1;
  }
  // Generation prints every warning itself; without it, show the ones this edit brought.
  const warnings = opts.generate === false ? newWarnings(before, after) : [];
  if (warnings.length) io.err(formatText(warnings, io.errPaint));
  const hasBom = bytes.subarray(0, 3).equals(BOM);
  writeFileAtomic(spec.path, hasBom ? Buffer.concat([BOM, Buffer.from(text, 'utf8')]) : text);
  io.out(`${io.paint.green('✓')} added ${describeAdd(input)} to ${spec.display}\n`);
  if (opts.generate === false) return 0;
  return runGenerate(io, spec.path, {});
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const COMMON_HELP = `
The spec is ./microgen.yaml unless given as the last argument or with --spec (a file, or a folder
holding microgen.yaml), as in the other commands.
Edits the spec in place: comments, key order and formatting elsewhere stay as they are.
The result is linted first; when it would be invalid, nothing is written (exit 1).
Then the system is regenerated (skip with --no-generate).
On a terminal, missing arguments are asked for; elsewhere they are a usage error (exit 2).

Exit codes: 0 done, 1 invalid result or existing name (spec untouched), 2 usage.`;

function common(cmd: Command): Command {
  return cmd
    .argument('[spec]', 'spec file or folder (default: ./microgen.yaml)')
    .option('--spec <file>', 'spec file or folder, as the last argument would')
    .option('--no-generate', 'only edit the spec; do not regenerate');
}

/** The spec as the last argument or `--spec`; both at once must agree. */
function withSpec(positional: string | undefined, o: CommonOptions): CommonOptions {
  if (positional !== undefined && o.spec !== undefined && positional !== o.spec) throw new UsageError(`the spec is given twice (${positional} and --spec ${o.spec}); give it once`);
  return { ...o, spec: positional ?? o.spec };
}

export function registerAdd(program: Command, io: Io, setExit: (code: number) => void): void {
  const add = program
    .command('add')
    .description('add a service, event, operation or gateway route to the spec, then regenerate')
    .addHelpText(
      'after',
      `
Examples:
  $ ${EXAMPLE.service}
  $ ${EXAMPLE.event}
  $ ${EXAMPLE.operation}
  $ ${EXAMPLE.route}
${COMMON_HELP}`,
    );

  common(
    add
      .command('service')
      .description('add a service')
      .argument('[name]', 'service name (kebab-case)')
      .option('--port <port>', 'HTTP port (default: the next free one, written into the spec so it never moves)')
      .option('--db <database>', 'database: postgres, mongodb, redis or none (default none)'),
  )
    .addHelpText('after', `\nExamples:\n  $ microgen add service billing\n  $ ${EXAMPLE.service}\n  $ microgen add service cache deploy/microgen.yaml --db redis --no-generate\n${COMMON_HELP}`)
    .action(async (name: string | undefined, spec: string | undefined, o: CommonOptions & { port?: string; db?: string }) =>
      setExit(await runAdd(io, 'service', { name, port: o.port, db: o.db }, withSpec(spec, o))),
    );

  common(
    add
      .command('event')
      .description('add an event and its payload, and who publishes and subscribes to it')
      .argument('[name]', 'event name (aggregate.happened)')
      .option('--field <name:type>', 'a payload field; repeat it, or separate fields with commas', collect)
      .option('--event-version <n>', "the payload version (the spec's `version`; default 1)")
      .option('--publisher <service>', 'a service that publishes it (added to its publishes:); repeat it', collect)
      .option('--subscriber <service>', 'a service that subscribes to it (added to its subscribes:); repeat it', collect),
  )
    .addHelpText(
      'after',
      `\nExamples:\n  $ ${EXAMPLE.event}\n  $ microgen add event user.renamed --field userId:integer,name:string --event-version 2 --publisher user --subscriber order\n\nWithout a publisher and a subscriber, lint warns that the event is unused.\n(--version is microgen's own flag, hence --event-version.)\n${COMMON_HELP}`,
    )
    .action(async (name: string | undefined, spec: string | undefined, o: CommonOptions & { field?: string[]; eventVersion?: string; publisher?: string[]; subscriber?: string[] }) =>
      setExit(await runAdd(io, 'event', { name, fields: o.field?.join(','), version: o.eventVersion, publishers: o.publisher?.join(','), subscribers: o.subscriber?.join(',') }, withSpec(spec, o))),
    );

  common(
    add
      .command('operation')
      .description('add a REST operation to a service')
      .argument('[service]', 'the service that serves it')
      .argument('[name]', 'operation name (camelCase)')
      .option('--http <method-and-path>', 'method and path, such as "GET /orders/{id}"')
      .option('--body <type>', 'request body: a type (NewOrder), or fields (userId:integer,total:number)')
      .option('--response <status:type>', 'a response, such as 200:Order or 204:empty; repeat it (default for a GET: 200 with a schema named after the resource)', collect),
  )
    .addHelpText(
      'after',
      `\nExamples:\n  $ ${EXAMPLE.operation}\n  $ microgen add operation order listOrders --http "GET /orders"     # 200: Order[] (Order added to the service when missing)\n  $ microgen add operation order createOrder --http "POST /orders" --body userId:integer,total:number --response 201:empty\n${COMMON_HELP}`,
    )
    .action(async (service: string | undefined, name: string | undefined, spec: string | undefined, o: CommonOptions & { http?: string; body?: string; response?: string[] }) =>
      setExit(await runAdd(io, 'operation', { service, name, http: o.http, body: o.body, responses: o.response?.join(',') }, withSpec(spec, o))),
    );

  common(
    add
      .command('route')
      .description('add a gateway route')
      .argument('[path]', 'path prefix the route matches, such as /api/orders')
      .option('--service <service>', 'the service it forwards to')
      .option('--strip-path', 'remove the matched prefix before forwarding')
      .option('--upstream-path <path>', "path put in front of the forwarded path (default: one that reaches the service's operations)")
      .option('--auth <auth>', 'jwt or none (default: jwt when the gateway has auth)'),
  )
    .addHelpText('after', `\nExamples:\n  $ ${EXAMPLE.route}\n  $ microgen add route /api/orders --service order      # strips /api/orders, forwards under /orders\n  $ microgen add route /api/health --service order --auth none\n${COMMON_HELP}`)
    .action(async (path: string | undefined, spec: string | undefined, o: CommonOptions & { service?: string; stripPath?: boolean; upstreamPath?: string; auth?: string }) =>
      setExit(await runAdd(io, 'route', { path, service: o.service, stripPath: o.stripPath, upstreamPath: o.upstreamPath, auth: o.auth }, withSpec(spec, o))),
    );
}
