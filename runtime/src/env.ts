/**
 * Configuration from the environment. A `.env` file beside the system (the generated
 * `.env.example` documents it) is read at start-up; variables already set win, so the shell,
 * compose and Kubernetes always override the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** How many folders up from the working directory to look for `.env` (a service runs in services/<name>). */
const SEARCH_DEPTH = 3;

/** `KEY=value` lines; `#` comments, `export ` prefixes and single or double quotes as shells write them. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[match[1]] = value;
  }
  return out;
}

/**
 * Loads the nearest `.env` (the working directory or up to three folders above it) into
 * `process.env` without overriding what is set. Returns the file's path, or undefined.
 */
export function loadDotEnv(from: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  let dir = resolve(from);
  for (let i = 0; i <= SEARCH_DEPTH; i++) {
    const file = join(dir, '.env');
    if (existsSync(file)) {
      for (const [key, value] of Object.entries(parseDotEnv(readFileSync(file, 'utf8')))) {
        if (env[key] === undefined) env[key] = value;
      }
      return file;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** `order-history` → `ORDER_HISTORY_SERVICE_URL` (SPEC §5). */
export function serviceUrlVariable(service: string): string {
  return `${serviceVariablePrefix(service)}_SERVICE_URL`;
}

/** A positive number from the environment, or the default when unset or not a number. */
export function envNumber(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[name]);
  return env[name] !== undefined && env[name] !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** `order-history` → `ORDER_HISTORY`: the prefix of a service's own variables. */
export function serviceVariablePrefix(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/**
 * A service's setting. Run on its own, a service reads `<NAME>` (what compose or Kubernetes sets
 * for its container), else `<SERVICE>_<NAME>` (`ORDER_DATABASE_URL`: the form one `.env` for a
 * whole system uses). When several services share a process (`microgen dev`, the monolith) a
 * plain `DATABASE_URL` would be ambiguous, so only the prefixed form is read.
 */
export function settingOf(service: string, env: NodeJS.ProcessEnv, shared: boolean): (name: string) => string | undefined {
  const prefix = serviceVariablePrefix(service);
  const read = (key: string): string | undefined => {
    const value = env[key];
    return value !== undefined && value !== '' ? value : undefined;
  };
  return (name) => (shared ? undefined : read(name)) ?? read(`${prefix}_${name}`);
}
