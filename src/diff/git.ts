/**
 * Reading a spec as it was at a git revision: `git show REF:path`, path relative to the
 * repository root. `execFile` with an argument list: no shell, so nothing in REF or the path
 * is interpreted.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class GitError extends Error {}

export interface GitSpec {
  readonly bytes: Buffer;
  /** `REF:path/in/repo.yaml`, as shown in reports. */
  readonly display: string;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string | Buffer; code?: string | number; message?: string };
  if (e.code === 'ENOENT') return 'git is not installed or not on PATH';
  const text = (e.stderr ? String(e.stderr) : e.message ?? String(err)).trim();
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).replace(/^fatal:\s*/, '');
}

/** The bytes of `specPath` (an absolute path inside a work tree) at revision `ref`. */
export async function readSpecAtRevision(specPath: string, ref: string): Promise<GitSpec> {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new GitError(`"${ref}" is not a git revision`);
  const dir = dirname(specPath);
  let root: string;
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
    root = stdout.trim();
  } catch (err) {
    throw new GitError(`${dir} is not inside a git repository (${firstLine(err)})`);
  }
  const rel = relative(realpathSync(root), realpathSync(specPath)).split(sep).join('/');
  const display = `${ref}:${rel}`;
  try {
    const { stdout } = await run('git', ['show', `${ref}:${rel}`], { cwd: root, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return { bytes: stdout, display };
  } catch (err) {
    throw new GitError(`cannot read ${rel} at ${ref}: ${firstLine(err)}`);
  }
}
