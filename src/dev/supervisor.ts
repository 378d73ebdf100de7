/**
 * `microgen dev`: the generated system running on this machine, kept in step with the spec and
 * the handlers. By default one process runs every service and the gateway (the runtime's
 * defineSystem, in system/) over the in-memory bus, with an embedded PostgreSQL per PostgreSQL
 * service; with `BROKER_URL` set, each service runs as its own process over that broker.
 *
 * The supervisor owns the child processes: it formats their log lines, restarts them when a
 * rebuild changed what they run, and on Ctrl-C stops them all before it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Paint } from '../util/paint.js';
import type { SystemModel } from '../model/types.js';
import { servicePath } from '../plan/paths.js';
import { GATEWAY_PACKAGE_DIR, SYSTEM_PACKAGE_DIR } from '../plan/workspaces.js';
import { DevLogFormatter } from './logs.js';

/** Where the embedded databases live, inside the output folder. */
export const DEV_DATA_DIR = '.microgen/dev';
/** How long a stop may take before the child is killed. */
const STOP_TIMEOUT_MS = 10_000;
/** Changes within this window become one rebuild. */
const DEBOUNCE_MS = 200;

/** One process the supervisor runs: the whole system, or one service. */
interface Unit {
  readonly name: string;
  /** The entry point, relative to the output folder. */
  readonly main: string;
  /** Folders whose sources, when changed, mean this unit must restart (relative, POSIX). */
  readonly sources: readonly string[];
  /** What it logs once it answers: the system's summary line, or one service's "Server listening". */
  readonly ready: 'system' | 'listening';
}

export interface DevOutput {
  out(text: string): void;
  err(text: string): void;
  readonly paint: Paint;
}

export interface PartSummary {
  readonly name: string;
  readonly url: string;
  readonly resources: readonly { readonly name: string; readonly what: string; readonly up: boolean }[];
}

/** The units for a model: one system process, or one per service when a broker connects them. */
export function unitsOf(model: SystemModel, separate: boolean): Unit[] {
  if (!separate) {
    return [{ name: model.name, main: `${SYSTEM_PACKAGE_DIR}/dist/main.js`, sources: ['services', GATEWAY_PACKAGE_DIR, SYSTEM_PACKAGE_DIR], ready: 'system' }];
  }
  return [
    ...model.services.map((s): Unit => ({ name: s.name, main: servicePath(s.name, 'dist/main.js'), sources: [servicePath(s.name)], ready: 'listening' })),
    { name: GATEWAY_PACKAGE_DIR, main: `${GATEWAY_PACKAGE_DIR}/dist/main.js`, sources: [GATEWAY_PACKAGE_DIR], ready: 'listening' },
  ];
}

class Child {
  private process: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** The last lines it wrote on stderr: a failed start says why there, in one line. */
  private stderrTail: string[] = [];

  constructor(
    readonly unit: Unit,
    private readonly outDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logs: DevLogFormatter,
    private readonly output: DevOutput,
    private readonly onReady: (parts: PartSummary[] | undefined) => void,
    private readonly onExit: (unit: Unit, code: number | null, reason: string | undefined) => void,
  ) {}

  start(): void {
    this.stderrTail = [];
    // The IPC channel is how the child notices this process is gone, however it went (the runtime
    // stops when it closes): no system is left running unseen after a crash or a kill -9.
    const child = spawn(process.execPath, [this.unit.main], { cwd: this.outDir, env: this.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.process = child;
    const lines = (stream: NodeJS.ReadableStream, isErr: boolean) => {
      let rest = '';
      stream.on('data', (d: Buffer) => {
        const parts = (rest + d.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) this.line(line, isErr);
      });
    };
    lines(child.stdout!, false);
    lines(child.stderr!, true);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        if (this.process === child) {
          this.process = undefined;
          this.onExit(this.unit, code, this.stderrTail.at(-1));
        }
        resolve(code);
      }),
    );
  }

  private line(line: string, isErr: boolean): void {
    if (isErr && line.trim()) this.stderrTail = [...this.stderrTail.slice(-4), line.trim()];
    let parsed: { msg?: string; parts?: PartSummary[] } | undefined;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (this.unit.ready === 'system' && parsed?.msg?.endsWith(' is running') && Array.isArray(parsed.parts)) {
      this.onReady(parsed.parts); // the supervisor prints it as the start-up summary
      return;
    }
    if (this.unit.ready === 'listening' && parsed?.msg?.startsWith('Server listening at')) this.onReady(undefined);
    const shown = this.logs.format(line, this.unit.name);
    if (shown !== undefined) this.output.out(`${shown}\n`);
  }

  /** SIGTERM, then SIGKILL if it does not exit in time. Resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  get running(): boolean {
    return this.process !== undefined;
  }
}

export interface SupervisorOptions {
  readonly outDir: string;
  readonly specPath: string;
  readonly model: SystemModel;
  readonly output: DevOutput;
  /** Each service as its own process (set when BROKER_URL names a broker). */
  readonly separate: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Regenerates and rebuilds after a spec change; resolves to the new model, or undefined when it failed (said already). */
  readonly regenerate: () => Promise<SystemModel | undefined>;
  /** Rebuilds after a source change; false when the build failed (said already). */
  readonly rebuild: () => Promise<boolean>;
  readonly watch: boolean;
}

/** Runs the units until stop(); `ready` resolves when every unit answers, `failed` when one cannot start. */
export class Supervisor {
  private children: Child[] = [];
  private watchers: FSWatcher[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private stopping = false;
  private waitingFor = new Set<string>();
  private settle: { resolve: (parts: PartSummary[] | undefined) => void; reject: (err: Error) => void } | undefined;
  private model: SystemModel;

  constructor(private readonly options: SupervisorOptions) {
    this.model = options.model;
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...(this.options.env ?? process.env), MICROGEN_DEV_DATA: join(this.options.outDir, DEV_DATA_DIR) };
  }

  /** Starts every unit; resolves with the system's summary once all of them listen. */
  start(): Promise<PartSummary[] | undefined> {
    const units = unitsOf(this.model, this.options.separate);
    const names = [this.model.name, GATEWAY_PACKAGE_DIR, ...this.model.services.map((s) => s.name)];
    const logs = new DevLogFormatter(this.options.output.paint, Math.max(...names.map((n) => n.length)));
    this.waitingFor = new Set(units.map((u) => u.name));
    const ready = new Promise<PartSummary[] | undefined>((resolve, reject) => (this.settle = { resolve, reject }));
    this.children = units.map(
      (unit) =>
        new Child(
          unit,
          this.options.outDir,
          this.env,
          logs,
          this.options.output,
          (parts) => this.unitReady(unit, parts),
          (u, code, reason) => this.unitExited(u, code, reason),
        ),
    );
    for (const child of this.children) child.start();
    if (this.options.watch && this.watchers.length === 0) this.watchSources();
    return ready;
  }

  private unitReady(unit: Unit, parts: PartSummary[] | undefined): void {
    if (!this.waitingFor.delete(unit.name)) return;
    if (this.waitingFor.size === 0) this.settle?.resolve(parts);
  }

  private unitExited(unit: Unit, code: number | null, reason: string | undefined): void {
    if (this.stopping) return;
    const why = reason ?? `it exited with code ${code}`;
    if (this.waitingFor.has(unit.name)) {
      this.settle?.reject(new Error(`${unit.name} could not start: ${why}`));
      return;
    }
    this.options.output.err(`${this.options.output.paint.red('stopped')} ${unit.name}: ${why} (fix it and save: microgen dev restarts it)\n`);
  }

  private watchSources(): void {
    const { outDir, specPath } = this.options;
    const onChange = (path: string) => {
      this.pending.add(path);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
    };
    this.watchers.push(watch(specPath, () => onChange(specPath)));
    for (const folder of ['services', SYSTEM_PACKAGE_DIR, GATEWAY_PACKAGE_DIR]) {
      const dir = join(outDir, folder);
      if (!existsSync(dir)) continue;
      this.watchers.push(
        watch(dir, { recursive: true }, (_event, file) => {
          if (!file) return;
          const rel = `${folder}/${String(file).split(sep).join('/')}`;
          // What microgen and tsc write is not a change of the user's: generated code follows the spec, dist the build.
          if (!rel.includes('/src/') || rel.includes('/src/generated/') || rel.endsWith('~')) return;
          onChange(join(outDir, rel));
        }),
      );
    }
  }

  private flush(): Promise<void> {
    const changed = [...this.pending];
    this.pending.clear();
    this.busy = this.busy.then(() => this.react(changed));
    return this.busy;
  }

  private async react(changed: string[]): Promise<void> {
    if (this.stopping || changed.length === 0) return;
    const { outDir, specPath, output } = this.options;
    const rel = (p: string) => relative(outDir, p).split(sep).join('/');
    const specChanged = changed.includes(specPath);
    output.out(`${output.paint.dim('↻')} ${specChanged ? 'the spec changed: regenerating' : `${changed.map(rel).join(', ')} changed: rebuilding`}\n`);
    let restart: Child[];
    if (specChanged) {
      const model = await this.options.regenerate();
      if (!model) return;
      this.model = model;
      await this.stopChildren();
      await this.restartAll();
      return;
    }
    if (!(await this.options.rebuild())) return;
    restart = this.children.filter((c) => c.unit.sources.some((s) => changed.some((p) => rel(p).startsWith(`${s}/`))) || !c.running);
    await Promise.all(restart.map((c) => c.stop()));
    for (const c of restart) c.start();
    output.out(`${output.paint.dim('↻')} restarted ${restart.map((c) => c.unit.name).join(', ')}\n`);
  }

  private async restartAll(): Promise<void> {
    try {
      await this.start();
      this.options.output.out(`${this.options.output.paint.dim('↻')} restarted\n`);
    } catch (err) {
      this.options.output.err(`${this.options.output.paint.red('error')} ${(err as Error).message}\n`);
    }
  }

  private async stopChildren(): Promise<void> {
    const children = this.children;
    this.children = [];
    await Promise.all(children.map((c) => c.stop()));
  }

  /** Stops watching and stops every child; resolves once they have all exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    await this.busy.catch(() => undefined);
    await this.stopChildren();
  }
}
