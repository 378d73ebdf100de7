/**
 * Errors the CLI turns into one clear sentence and an exit code, never a stack trace.
 * `UsageError` is a mistake in how the command was called (exit 2).
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A failure that has already been explained to the user (diagnostics printed): just the exit code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
