/**
 * The system's JSON log lines (pino, one per line, `name` = the service) as `microgen dev`
 * shows them: a prefix per service in its own colour, the level when it is not info, a request
 * as one line when it completes, and an error's stack for errors. Plain when not on a terminal.
 */
import type { Paint } from '../util/paint.js';

interface PinoLine {
  level?: number;
  time?: number;
  name?: string;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export class DevLogFormatter {
  private readonly requests = new Map<string, string>();
  private readonly colours: ((s: string) => string)[];
  private readonly colourOf = new Map<string, (s: string) => string>();

  constructor(
    private readonly paint: Paint,
    /** Width of the name column: the longest part name. */
    private readonly width: number,
  ) {
    this.colours = [paint.cyan, paint.magenta, paint.blue, paint.green, paint.yellow];
  }

  private prefix(name: string): string {
    let colour = this.colourOf.get(name);
    if (!colour) this.colourOf.set(name, (colour = this.colours[this.colourOf.size % this.colours.length]));
    return `${colour(name.padEnd(this.width))} ${this.paint.dim('│')} `;
  }

  /** One line of the child's output → what to print (undefined: nothing, e.g. the first half of a request). */
  format(raw: string, fallbackName = 'system'): string | undefined {
    let line: PinoLine;
    try {
      line = JSON.parse(raw) as PinoLine;
    } catch {
      return raw.trim() === '' ? undefined : `${this.prefix(fallbackName)}${raw}`;
    }
    if (typeof line !== 'object' || line === null) return `${this.prefix(fallbackName)}${raw}`;
    const name = line.name ?? fallbackName;
    if (line.msg === 'incoming request' && line.reqId) {
      this.requests.set(line.reqId, `${line.req?.method ?? '?'} ${line.req?.url ?? '?'}`);
      return undefined;
    }
    let text = line.msg ?? '';
    if (line.msg === 'request completed' && line.reqId) {
      const request = this.requests.get(line.reqId) ?? 'request';
      this.requests.delete(line.reqId);
      const status = line.res?.statusCode ?? 0;
      const shown = status >= 500 ? this.paint.red(String(status)) : status >= 400 ? this.paint.yellow(String(status)) : this.paint.green(String(status));
      text = `${request} → ${shown} ${this.paint.dim(`(${Math.round(line.responseTime ?? 0)} ms)`)}`;
    }
    const level = line.level ?? 30;
    const tag = level >= 50 ? this.paint.red(LEVELS[level] ?? 'error') : level >= 40 ? this.paint.yellow(LEVELS[level] ?? 'warn') : level < 30 ? this.paint.dim(LEVELS[level] ?? 'debug') : '';
    const error = line.err?.message && !text.includes(line.err.message) ? `: ${line.err.message}` : '';
    const stack = level >= 50 && line.err?.stack ? `\n${this.paint.dim(line.err.stack)}` : '';
    return `${this.prefix(name)}${tag ? `${tag} ` : ''}${text}${error}${stack}`;
  }
}
