/**
 * Errors the CLI turns into one clear sentence and an exit code, never a stack trace.
 * `UsageError` is a mistake in how the command was called (exit 2).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Io } from './io.js';

export class UsageError extends Error {
  readonly exitCode = 2;
  /** `diagnostics`: lint errors already printed (stderr) that the sentence refers to. */
  constructor(
    message: string,
    readonly diagnostics?: readonly Diagnostic[],
  ) {
    super(message);
  }
}

/**
 * A failure that has already been explained to the user (on stderr): just the exit code, and
 * the explanation in one sentence (`reason`, with the lint errors it refers to) for `--json`.
 */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    readonly reason?: string,
    readonly diagnostics?: readonly Diagnostic[],
  ) {
    super(reason ?? `exit ${exitCode}`);
  }
}

/**
 * Under `--json` (or `--format json`) a tool reads stdout, so a command that stops early says
 * so there too: `shape` (the document the command prints when it gets to the end, empty) with
 * `error`, the sentence stderr shows, and `diagnostics` when lint errors stopped it. The error
 * goes on to main(), which prints the sentence on stderr and gives the same exit code as without
 * `--json`.
 */
export async function failingAsJson(io: Io, json: boolean | undefined, shape: () => object, body: () => number | Promise<number>): Promise<number> {
  if (!json) return body();
  try {
    return await body();
  } catch (err) {
    const diagnostics = err instanceof UsageError || err instanceof ExitError ? err.diagnostics : undefined;
    io.out(`${JSON.stringify({ ...shape(), error: (err as Error).message ?? String(err), ...(diagnostics ? { diagnostics } : {}) }, null, 2)}\n`);
    throw err;
  }
}
