/**
 * Colour only where a person reads it: a TTY without NO_COLOR, or when FORCE_COLOR asks.
 * CI logs and pipes get plain text.
 */
export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plainPaint: Paint = { red: String, yellow: String, green: String, blue: String, magenta: String, cyan: String, bold: String, dim: String };
const colourPaint: Paint = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  blue: wrap(34, 39),
  magenta: wrap(35, 39),
  cyan: wrap(36, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

export function paintFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return colourPaint;
  if (env.NO_COLOR !== undefined || env.TERM === 'dumb') return plainPaint;
  return stream.isTTY ? colourPaint : plainPaint;
}

export const plain = plainPaint;
