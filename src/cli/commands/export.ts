/** `microgen export openapi|asyncapi [SPEC] [--out DIR] [--service NAME] [--json]`. */
import { Argument, type Command } from 'commander';
import { EXPORT_KINDS, exportDocuments, yamlStream, type ExportKind } from '../../export/index.js';
import type { SystemModel } from '../../model/types.js';
import { didYouMean } from '../../util/suggest.js';
import { UsageError } from '../errors.js';
import { writeOutput, type Io } from '../io.js';
import { loadModel } from '../spec-file.js';

export interface ExportOptions {
  out?: string;
  service?: string;
  json?: boolean;
}

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
  const docs = exportDocuments(model, kind, { service: opts.service, json: opts.json });
  if (opts.out !== undefined) {
    for (const doc of docs) io.out(`wrote ${writeOutput(io, `${opts.out}/${doc.file}`, doc.text)}\n`);
  } else if (docs.length === 1) {
    io.out(docs[0].text);
  } else if (opts.json) {
    throw new UsageError('--json prints one document: pick a service with --service NAME, or write every service with --out DIR');
  } else {
    io.out(yamlStream(docs));
  }
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
