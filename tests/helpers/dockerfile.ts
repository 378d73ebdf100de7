/**
 * The generated Dockerfiles' instructions, carried out on this machine instead of by Docker (no
 * engine runs here): each stage gets a folder standing for its file system, COPY copies from
 * the build context (honouring .dockerignore) or from an earlier stage, RUN runs the command
 * with `sh -c` in the stage's working folder and environment. What it cannot do is said where it
 * happens: it does not switch users, and the base image's own files are this machine's.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Instruction {
  readonly op: string;
  readonly args: string;
  /** COPY --from=<stage>. */
  readonly from?: string;
}

export interface Stage {
  readonly name?: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

/** The stages of a Dockerfile (one instruction per line, as microgen writes them). */
export function parseDockerfile(text: string): Stage[] {
  const stages: { name?: string; base: string; instructions: Instruction[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) throw new Error(`line continuations are not supported: ${line}`);
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`not an instruction: ${line}`);
    if (op === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ base, ...(name ? { name } : {}), instructions: [] });
      continue;
    }
    const from = /^--from=(\S+)\s+(.*)$/.exec(rest);
    stages.at(-1)!.instructions.push(from ? { op, args: from[2], from: from[1] } : { op, args: rest });
  }
  return stages;
}

/** A `.dockerignore` as Docker reads it: the last matching pattern wins, `!` re-includes. */
export function dockerIgnore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), pattern: globRegex(l.replace(/^!/, '')) }));
  return (path) => {
    const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.pattern.test(p))) ignored = !rule.negate;
    return ignored;
  };
}

function globRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export interface StageResult {
  /** The folder standing for the stage's `/`. */
  readonly root: string;
  readonly workdir: string;
  readonly env: Record<string, string>;
  readonly user?: string;
  readonly expose: readonly number[];
  readonly healthcheck?: readonly string[];
  readonly cmd?: readonly string[];
}

export interface RunOptions {
  /** The build context (the system's root folder). */
  readonly context: string;
  /** Stages run before, by name (COPY --from). */
  readonly stages?: Readonly<Record<string, StageResult>>;
  /** Replaces a RUN command before it runs (and says why, in the test). */
  readonly rewrite?: (command: string) => string;
  /** Called after each RUN command with the command as written, its working folder and output. */
  readonly afterRun?: (command: string, cwd: string, output: string) => void;
  /** The environment RUN commands see besides the stage's (PATH, for instance). */
  readonly env?: Record<string, string>;
}

/** Copies `src` (a file or a folder's contents) to `dst` as Docker's COPY does, skipping ignored paths. */
function copy(fromRoot: string, src: string, dst: string, ignored: (path: string) => boolean): void {
  const from = join(fromRoot, src);
  if (!existsSync(from)) throw new Error(`COPY: ${src} does not exist`);
  if (statSync(from).isDirectory()) {
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const rel = relative(fromRoot, path).split('\\').join('/');
      if (ignored(rel)) continue;
      const target = join(dst, relative(from, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
    return;
  }
  if (ignored(src)) throw new Error(`COPY: ${src} is excluded by .dockerignore`);
  const target = dst.endsWith('/') || (existsSync(dst) && statSync(dst).isDirectory()) ? join(dst, posix.basename(src)) : dst;
  mkdirSync(dirname(target), { recursive: true });
  cpSync(from, target);
}

const parseJsonArray = (text: string): string[] => JSON.parse(text) as string[];

/** Carries out one stage; returns its folder and what it declares. */
export function runStage(stage: Stage, options: RunOptions): StageResult {
  const root = mkdtempSync(join(options.context, '..', 'stage-'));
  const ignoreFile = join(options.context, '.dockerignore');
  const ignored = existsSync(ignoreFile) ? dockerIgnore(readFileSync(ignoreFile, 'utf8')) : () => false;
  let workdir = '/';
  const env: Record<string, string> = {};
  let user: string | undefined;
  const expose: number[] = [];
  let healthcheck: string[] | undefined;
  let cmd: string[] | undefined;
  const inRoot = (path: string) => join(root, path.startsWith('/') ? path : posix.join(workdir, path));
  for (const { op, args, from } of stage.instructions) {
    switch (op) {
      case 'WORKDIR':
        workdir = posix.resolve(workdir, args);
        mkdirSync(inRoot(workdir), { recursive: true });
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        const dst = parts.pop()!;
        const target = inRoot(dst) + (dst.endsWith('/') ? '/' : '');
        if (parts.length > 1) mkdirSync(target, { recursive: true });
        for (const src of parts) {
          if (from) {
            const earlier = options.stages?.[from];
            if (!earlier) throw new Error(`COPY --from=${from}: no such stage`);
            copy(earlier.root, src.replace(/^\//, ''), target, () => false);
          } else {
            copy(options.context, src, target, ignored);
          }
        }
        break;
      }
      case 'RUN': {
        const command = options.rewrite ? options.rewrite(args) : args;
        let output: string;
        try {
          output = execFileSync('sh', ['-c', command], { cwd: inRoot(workdir), env: { ...options.env, ...env }, encoding: 'utf8', stdio: 'pipe', timeout: 10 * 60_000 });
        } catch (err) {
          const e = err as { stdout?: string; stderr?: string };
          throw new Error(`RUN ${command} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
        }
        options.afterRun?.(args, inRoot(workdir), output);
        break;
      }
      case 'ENV':
        for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key] = value;
        break;
      case 'USER':
        user = args;
        break;
      case 'EXPOSE':
        expose.push(...args.split(/\s+/).map(Number));
        break;
      case 'HEALTHCHECK':
        healthcheck = parseJsonArray(args.slice(args.indexOf('CMD ') + 4));
        break;
      case 'CMD':
        cmd = parseJsonArray(args);
        break;
      default:
        throw new Error(`instruction ${op} is not carried out here`);
    }
  }
  return { root, workdir: inRoot(workdir), env, ...(user ? { user } : {}), expose, ...(healthcheck ? { healthcheck } : {}), ...(cmd ? { cmd } : {}) };
}

/**
 * A folder with an `npm` that runs the real one, except `npm cache clean`: a stage's cleanup is
 * meant for the image's own cache, and here the cache is this machine's, shared with other runs.
 */
export function npmShim(): string {
  const dir = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'npm-shim-'));
  const real = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'npm'), `#!/bin/sh\nif [ "$1" = cache ]; then exit 0; fi\nexec "${real}" "$@"\n`);
  chmodSync(join(dir, 'npm'), 0o755);
  return dir;
}
