/** Runs the CLI in-process and captures what it prints. */
import { main } from '../../src/cli/main.js';
import { plain } from '../../src/util/paint.js';
import type { Io } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], cwd: string = process.cwd(), opts: { isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    paint: plain,
    errPaint: plain,
    isTTY: opts.isTTY ?? false,
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
