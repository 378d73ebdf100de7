/**
 * docs/ci.md stays honest: every `microgen` command its recipes and examples run (code blocks and
 * inline code) names a subcommand the CLI has, flags that subcommand's --help lists and, for
 * --format, a format it accepts; `npm run check|generate` are scripts a generated system has, with
 * the flags after `--` checked the same way; and no recipe runs `npx microgen`, which cannot work
 * (microgen is not on the npm registry).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';

const DOC = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
/** The scripts of a generated system's root package.json (the shop's golden copy). */
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'tests/golden/generate/shop/package.json'), 'utf8')).scripts as Record<string, string>);

/** Code: the lines of fenced blocks and the inline code spans of the prose; titles, comments and echoed text left out. */
function codeLines(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^\s*```\w*\n([\s\S]*?)^\s*```/gm)].flatMap((m) => m[1].split('\n'));
  const prose = markdown.replace(/^\s*```\w*\n[\s\S]*?^\s*```/gm, '');
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline]
    .filter((l) => !/^\s*(- )?name:/.test(l)) // a workflow step's or job's title, not a command
    .map((l) => l.replace(/(^|\s)#.*$/, '').replace(/\becho (["'])(?:(?!\1).)*\1/g, 'echo'));
}

/** The words of a command after `start`, up to a shell operator or the end of the line. */
function wordsAfter(line: string, start: number): string[] {
  const rest = line.slice(start).split(/\s*(?:&&|\|\||[|;>)])/)[0];
  return rest.trim().split(/\s+/).filter(Boolean);
}

interface Use {
  readonly line: string;
  readonly command: string;
  readonly args: readonly string[];
}

function microgenUses(lines: readonly string[]): Use[] {
  const uses: Use[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(/(?<![\w./-])microgen\s+(?=[a-z])/g)) {
      const [command, ...args] = wordsAfter(line, m.index + m[0].length);
      uses.push({ line, command, args });
    }
    for (const m of line.matchAll(/\bnpm run (?:--silent |-s )?([\w:-]+)/g)) {
      const words = wordsAfter(line, m.index + m[0].length);
      const dashes = words.indexOf('--');
      uses.push({ line, command: `npm run ${m[1]}`, args: dashes < 0 ? [] : words.slice(dashes + 1) });
    }
  }
  return uses;
}

const helpOf = async (command: string): Promise<string> => {
  const run = await runCli([command, '--help']);
  expect(run.code, `microgen ${command} --help`).toBe(0);
  return run.stdout;
};

/** What is wrong with `microgen <command> <args>`: unknown flags, a --format the command does not write. */
async function problems(command: string, args: readonly string[], line: string): Promise<string[]> {
  const help = await helpOf(command);
  // The Options: section only, up to the blank line before the examples.
  const from = help.indexOf('Options:');
  const end = help.indexOf('\n\n', from);
  const options = help.slice(from, end < 0 ? undefined : end);
  const out: string[] = [];
  args.forEach((arg, i) => {
    if (!arg.startsWith('-')) return;
    const flag = arg.split('=')[0];
    if (!new RegExp(`(^|[\\s,])${flag}\\b(?!-)`, 'm').test(options)) out.push(`${line}: microgen ${command} has no ${flag}`);
    if (flag === '--format' || flag === '-f') {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
      const formatHelp = /--format <format>\s+([\s\S]*?)(?=\n\s+-|\n\n)/.exec(options)?.[1] ?? '';
      if (value === undefined || !new RegExp(`\\b${value}\\b`).test(formatHelp)) out.push(`${line}: microgen ${command} writes no --format ${value}`);
    }
  });
  return out;
}

/** The uses whose subcommand `microgen --help` does not list. */
async function unknownCommands(uses: readonly Use[]): Promise<string[]> {
  const run = await runCli(['--help']);
  const known = new Set([...run.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]));
  expect(known.size).toBeGreaterThan(5);
  return uses.filter((u) => !u.command.startsWith('npm run ') && !known.has(u.command)).map((u) => `${u.line}: ${u.command}`);
}

describe('docs/ci.md', () => {
  const uses = microgenUses(codeLines(DOC));

  it('runs microgen through every command CI needs (the scan itself works)', () => {
    const commands = new Set(uses.map((u) => u.command));
    for (const c of ['lint', 'diff', 'npm run check']) expect(commands, c).toContain(c);
    const formats = uses.filter((u) => u.command === 'lint').map((u) => u.args[u.args.indexOf('--format') + 1]);
    for (const f of ['github', 'sarif', 'codeclimate']) expect(formats, f).toContain(f);
    expect(uses.some((u) => u.command === 'npm run check' && u.args.includes('--json'))).toBe(true);
  });

  it('names only subcommands the CLI has', async () => {
    expect(await unknownCommands(uses)).toEqual([]);
  });

  it('uses only flags and formats the subcommands list in --help', async () => {
    const found: string[] = [];
    for (const u of uses) {
      if (u.command === 'npm run check' || u.command === 'npm run generate') found.push(...(await problems(u.command.slice('npm run '.length), u.args, u.line)));
      else if (!u.command.startsWith('npm run ')) found.push(...(await problems(u.command, u.args, u.line)));
    }
    expect(found).toEqual([]);
  });

  it('runs only npm scripts a generated system has, for microgen', () => {
    const microgenScripts = uses.filter((u) => u.command === 'npm run check' || u.command === 'npm run generate');
    expect(microgenScripts.length).toBeGreaterThan(0);
    for (const u of microgenScripts) expect(SCRIPTS).toContain(u.command.slice('npm run '.length));
  });

  it('never runs npx microgen: microgen is not on the npm registry', () => {
    expect(DOC).not.toMatch(/\bnpx\b[^\n`]*\bmicrogen\b/);
  });

  it('the checks find a wrong flag, a wrong format and an unknown subcommand', async () => {
    const bad = microgenUses(codeLines('```sh\nmicrogen lint --formt github\nmicrogen lint --format xml\nnpm run check -- --jsn\n```\n\nthen `microgen chek`\n'));
    const found: string[] = [];
    for (const u of bad.slice(0, 3)) found.push(...(await problems(u.command.replace('npm run ', ''), u.args, u.line)));
    expect(found).toEqual([
      'microgen lint --formt github: microgen lint has no --formt',
      'microgen lint --format xml: microgen lint writes no --format xml',
      'npm run check -- --jsn: microgen check has no --jsn',
    ]);
    expect(await unknownCommands(bad)).toEqual(['microgen chek: chek']);
  });
});
