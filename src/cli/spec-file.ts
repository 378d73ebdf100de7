/** Resolving the SPEC argument: `./microgen.yaml` by default, a folder means its microgen.yaml. */
import { statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { formatText } from '../diagnostics/format/text.js';
import { lintBytes } from '../lint.js';
import { readSpecFile, SpecTooLarge } from '../spec/read.js';
import type { SystemModel } from '../model/types.js';
import { ExitError, UsageError } from './errors.js';
import type { Io } from './io.js';

export const DEFAULT_SPEC = 'microgen.yaml';

export interface SpecFile {
  /** Absolute path. */
  readonly path: string;
  /** As shown in diagnostics: relative to the working folder when inside it. */
  readonly display: string;
}

export function resolveSpec(cwd: string, arg: string | undefined): SpecFile {
  let path = resolve(cwd, arg ?? DEFAULT_SPEC);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`cannot read ${arg ?? DEFAULT_SPEC}: no such file${arg ? '' : ' (pass the spec path, or run `microgen init`)'}`);
  }
  if (st.isDirectory()) {
    path = join(path, DEFAULT_SPEC);
    try {
      statSync(path);
    } catch {
      throw new UsageError(`${arg} is a folder without a ${DEFAULT_SPEC}`);
    }
  }
  const rel = relative(cwd, path);
  return { path, display: rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path };
}

/** The spec's bytes; a file that cannot be read is a usage error (exit 2), in one sentence. */
export function readSpecBytes(spec: SpecFile): Buffer {
  try {
    return readSpecFile(spec.path);
  } catch (err) {
    if (err instanceof SpecTooLarge) throw new UsageError(`cannot read ${spec.display}: ${err.message}`);
    throw new UsageError(`cannot read ${spec.display}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/**
 * The model of a spec that lints without errors. Errors are printed (stderr) and end the
 * command with exit 1: a drawing or an export of a broken spec would mislead.
 */
export function loadModel(io: Io, arg: string | undefined): SystemModel {
  const spec = resolveSpec(io.cwd, arg);
  const result = lintBytes(spec.display, readSpecBytes(spec));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.model) {
    io.err(formatText(errors, io.errPaint));
    const reason = `${spec.display} has lint errors; fix them first (microgen lint ${spec.display})`;
    io.err(`${io.errPaint.red('error')}: ${reason}\n`);
    throw new ExitError(1, reason, errors);
  }
  return result.model;
}
