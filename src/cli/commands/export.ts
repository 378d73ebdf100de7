/** `microgen export openapi|asyncapi [SPEC] [--out DIR] [--service NAME] [--json]`. */
import { Argument, type Command } from 'commander';
import { asyncApiDocument } from '../../export/asyncapi.js';
import { openApiDocument } from '../../export/openapi.js';
import type { SystemModel } from '../../model/types.js';
import { toYaml } from '../../render/yaml.js';
import { didYouMean } from '../../util/suggest.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { loadModel, writeOutput } from './graph.js';

export const EXPORT_KINDS = ['openapi', 'asyncapi'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportOptions {
  out?: string;
  service?: string;
  json?: boolean;
}

const serialise = (doc: unknown, json: boolean): string => (json ? JSON.stringify(doc, null, 2) + '\n' : toYaml(doc));

function checkService(model: SystemModel, name: string | undefined): void {
  if (name === undefined) return;
  const names = model.services.map((s) => s.name);
  if (!names.includes(name)) {
    throw new UsageError(`the spec has no service named "${name}"${didYouMean(name, names)}; services: ${[...names].sort().join(', ')}`);
  }
}

export function runExport(io: Io, kind: ExportKind, specArg: string | undefined, opts: ExportOptions): number {
  const model = loadModel(io, specArg);
  checkService(model, opts.service);
  const json = opts.json === true;
  const ext = json ? 'json' : 'yaml';

  if (kind === 'asyncapi') {
    const text = serialise(asyncApiDocument(model, opts.service !== undefined ? { service: opts.service } : {}), json);
    if (opts.out === undefined) io.out(text);
    else io.out(`wrote ${writeOutput(io, `${opts.out}/${opts.service ? `${opts.service}.` : ''}asyncapi.${ext}`, text)}\n`);
    return 0;
  }

  const services = opts.service !== undefined ? [opts.service] : model.services.map((s) => s.name).sort();
  if (opts.out !== undefined) {
    for (const name of services) io.out(`wrote ${writeOutput(io, `${opts.out}/${name}.openapi.${ext}`, serialise(openApiDocument(model, name), json))}\n`);
    return 0;
  }
  if (services.length === 1) {
    io.out(serialise(openApiDocument(model, services[0]), json));
    return 0;
  }
  if (json) throw new UsageError('--json prints one document: pick a service with --service NAME, or write every service with --out DIR');
  // Every service as one multi-document YAML stream, in service-name order.
  io.out(services.map((name) => `# ${name}\n${toYaml(openApiDocument(model, name))}`).join('---\n'));
  return 0;
}

export function registerExport(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('export')
    .description('export the API contracts: OpenAPI 3.1 per service, AsyncAPI 3.0 for the events')
    .addArgument(new Argument('<kind>', 'what to export').choices(EXPORT_KINDS))
    .argument('[spec]', 'spec file or folder', 'microgen.yaml')
    .option('-o, --out <dir>', 'write files into this folder instead of printing')
    .option('-s, --service <name>', 'only this service')
    .option('--json', 'JSON instead of YAML')
    .addHelpText(
      'after',
      `
openapi   one OpenAPI 3.1 document per service (paths, parameters, request bodies,
          responses, and the schemas they use). With --out DIR: DIR/<service>.openapi.yaml
          for each service. Without --out: the --service's document, or, without --service,
          every service as a multi-document YAML stream (documents separated by ---, in
          service-name order; --json needs --service or --out).
asyncapi  one AsyncAPI 3.0 document for the system: a channel per event (address = event
          name = RabbitMQ routing key), its message and payload, and a send or receive
          operation for every publisher and subscriber. --service keeps that service's part.
          With --out DIR: DIR/asyncapi.yaml (DIR/<service>.asyncapi.yaml with --service).

Examples:
  $ microgen export openapi --service user
  $ microgen export openapi examples/shop --out api/
  $ microgen export asyncapi --json > asyncapi.json

Exit codes: 0 written, 1 the spec has lint errors, 2 usage (unknown kind or service).`,
    )
    .action((kind: ExportKind, spec: string, opts: ExportOptions) => setExit(runExport(io, kind, spec, opts)));
}
