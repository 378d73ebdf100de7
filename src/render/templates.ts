/**
 * Handlebars templates from `templates/`, loaded once per process on first use: as plain
 * functions where they keep to fast-template.ts's subset (all of them today), else through
 * Handlebars' runtime. `noEscape` is on because nothing here is HTML: every value that comes
 * from the spec goes through an explicit escaping helper for its target (`ts`, `doc`, `yaml`,
 * `hash`, `md`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { camelCase, constantCase, pascalCase } from '../model/names.js';
import { hashCommentText, jsDoc, markdownInline, tsString, yamlString } from './escape.js';
import { fastRuntime, fastTemplateSource, type FastRuntime, type FastTemplate } from './fast-template.js';

const require = createRequire(import.meta.url);

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

type Template = Handlebars.TemplateDelegate;
/** What Handlebars.precompile produces (a global type in handlebars' typings). */
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
let env: { precompiled: Precompiled | undefined; fast: Map<string, FastTemplate>; runtime: FastRuntime } | undefined;

/** templates/ and every folder and file in it, each folder before its contents. */
function walk(dir: string = TEMPLATES_DIR): { path: string; isDir: boolean }[] {
  return [
    { path: dir, isDir: true },
    ...readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [{ path: join(dir, e.name), isDir: false }])),
  ];
}

/** A path under templates/ as the precompiled files name it: relative, with `/`. */
const templatePath = (path: string): string => relative(TEMPLATES_DIR, path).split(sep).join('/');

/** A folder or file under templates/ as [path relative to it, size, mtime]. */
export type SourceStamp = [path: string, size: number, mtimeMs: number];

/** Stamps of templates/ and everything in it: a file added, removed or edited changes one. */
export function sourceStamps(): SourceStamp[] {
  return walk().map(({ path }) => {
    const st = statSync(path);
    return [templatePath(path), st.size, st.mtimeMs];
  });
}

/** Shared with the build's precompilation (scripts/precompile-templates.js). */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Every template under templates/ as [name without .hbs, source], sorted. */
export function templateSources(): [string, string][] {
  return walk()
    .filter((e) => !e.isDir && e.path.endsWith('.hbs'))
    .map((e): [string, string] => [templatePath(e.path).replace(/\.hbs$/, ''), readFileSync(e.path, 'utf8')])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * The build precompiles every template (dist/render/templates.precompiled.cjs), which saves
 * ~150 ms of Handlebars compilation on each cold `generate`. Running from sources (tests),
 * the templates compile here. The precompiled set is used only if it was built from the same
 * sources, so an edited template is never shadowed by a stale build.
 */
interface Precompiled {
  sourceHash: string;
  /** The sources' stamps at build time: while they all hold, the hash need not be taken (null: too recent to trust). */
  sourceStamps: SourceStamp[] | null;
  /** Plain functions for the templates inside fast-template.ts's subset (null: Handlebars renders it). */
  fast: Record<string, FastTemplate | null>;
}

/** Handlebars' own precompiled specifications, in a file of their own (templates.handlebars.cjs). */
interface PrecompiledHandlebars {
  sourceHash: string;
  templates: Record<string, TemplateSpecification>;
}

/**
 * The Handlebars specifications of the build that made `precompiled`, or undefined. Loaded by
 * path, not by name, so the bundle (scripts/bundle.js) leaves them out: every template renders
 * as a plain function, and ~120 KB of specifications cost start-up time on every run.
 */
function precompiledHandlebars(precompiled: Precompiled): PrecompiledHandlebars['templates'] | undefined {
  try {
    const mod = require(fileURLToPath(new URL('./templates.handlebars.cjs', import.meta.url))) as PrecompiledHandlebars;
    return mod.sourceHash === precompiled.sourceHash ? mod.templates : undefined;
  } catch {
    return undefined;
  }
}

function loadPrecompiled(): Precompiled | undefined {
  try {
    const mod = require('./templates.precompiled.cjs') as Precompiled;
    // An installed package (no src/ beside templates/) is one build, as in bin/load-cli.js. In a
    // checkout, unchanged stamps answer without reading and hashing ~30 files (~2.5 ms a run).
    if (!existsSync(join(TEMPLATES_DIR, '..', 'src')) || stampsHold(mod.sourceStamps)) return mod;
    return mod.sourceHash === sourcesHash() ? mod : undefined;
  } catch {
    return undefined;
  }
}

function stampsHold(stamps: readonly SourceStamp[] | null | undefined): boolean {
  return (
    Array.isArray(stamps) &&
    stamps.every(([path, size, mtimeMs]) => {
      const st = statSync(join(TEMPLATES_DIR, path), { throwIfNoEntry: false });
      return st !== undefined && st.size === size && st.mtimeMs === mtimeMs;
    })
  );
}

/** sha256 over template names and sources: cheap (~30 small files), and exact. */
export function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const [name, source] of templateSources()) hash.update(name).update('\0').update(source).update('\0');
  return hash.digest('hex');
}

/**
 * The helpers templates may call. Every value that comes from the spec goes through the one for
 * its target (`ts`, `doc`, `yaml`, `hash`, `md`); the others shape names and lists.
 */
const HELPERS = {
  ts: (v: unknown) => tsString(String(v ?? '')),
  doc: (v: unknown, indent: unknown) => jsDoc(typeof v === 'string' ? v : undefined, typeof indent === 'string' ? indent : ''),
  yaml: (v: unknown) => yamlString(String(v ?? '')),
  hash: (v: unknown) => hashCommentText(String(v ?? '')),
  md: (v: unknown) => markdownInline(String(v ?? '')),
  json: (v: unknown) => JSON.stringify(v, null, 2),
  pascal: (v: unknown) => pascalCase(String(v)),
  camel: (v: unknown) => camelCase(String(v)),
  constant: (v: unknown) => constantCase(String(v)),
  eq: (a: unknown, b: unknown) => a === b,
  join: (list: unknown, sepr: unknown) => (Array.isArray(list) ? list.join(typeof sepr === 'string' ? sepr : ', ') : ''),
} satisfies Handlebars.HelperDeclareSpec;

function load(): NonNullable<typeof env> {
  const precompiled = loadPrecompiled();
  // Without a build, the fast functions are made here from Handlebars' own parse of each source.
  const fastFunctions = precompiled?.fast ?? fastFunctionsFromSources(require('handlebars') as typeof Handlebars);
  const fast = new Map<string, FastTemplate>();
  const partials: Record<string, FastTemplate> = {};
  for (const [name, fn] of Object.entries(fastFunctions)) {
    if (!fn) continue;
    if (name.startsWith('partials/')) partials[name.slice('partials/'.length)] = fn;
    else fast.set(name, fn);
  }
  return { precompiled, fast, runtime: fastRuntime(HELPERS as unknown as FastRuntime['helpers'], partials) };
}

let handlebars: Map<string, Template> | undefined;

/**
 * Handlebars' own templates, set up on first need: for a template outside the fast subset, and
 * for the tests that compare both. Precompiled ones need only Handlebars' runtime, not its parser,
 * compiler and source-map (~15 ms to load).
 */
function handlebarsTemplates(): Map<string, Template> {
  if (handlebars) return handlebars;
  env ??= load();
  const { precompiled } = env;
  const built = precompiled && precompiledHandlebars(precompiled);
  const hbs = (built ? (require('handlebars/runtime') as typeof Handlebars) : (require('handlebars') as typeof Handlebars)).create();
  hbs.registerHelper(HELPERS);
  // Without a build, compile here to the same specification the build precompiles.
  const specs = built ?? Object.fromEntries(templateSources().map(([name, source]) => [name, specFromSource(hbs, source)]));
  const templates = new Map<string, Template>();
  for (const [name, spec] of Object.entries(specs)) {
    const template = hbs.template(spec);
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), template);
    else templates.set(name, setUpOnce(template));
  }
  return (handlebars = templates);
}

/**
 * Each template's fast-function body (fast-template.ts), or null where Handlebars must render
 * it. Partials are compiled first: a template is fast only if the partials it uses are.
 */
export function fastSources(hbs: typeof Handlebars = require('handlebars') as typeof Handlebars): Record<string, string | null> {
  const helpers = new Set(Object.keys(HELPERS));
  const compile = (source: string, partials: ReadonlySet<string>) => fastTemplateSource(hbs.parse(source) as never, helpers, partials) ?? null;
  const sources = templateSources();
  const out: Record<string, string | null> = {};
  const partials = new Set<string>();
  for (const [name, source] of sources) {
    if (!name.startsWith('partials/')) continue;
    out[name] = compile(source, new Set());
    if (out[name] !== null) partials.add(name.slice('partials/'.length));
  }
  for (const [name, source] of sources) if (!name.startsWith('partials/')) out[name] = compile(source, partials);
  return out;
}

function fastFunctionsFromSources(hbs: typeof Handlebars): Record<string, FastTemplate | null> {
  return Object.fromEntries(
    Object.entries(fastSources(hbs)).map(([name, body]) => [name, body === null ? null : (new Function('context', 'data', 'rt', body) as FastTemplate)]),
  );
}

function specFromSource(hbs: typeof Handlebars, source: string): TemplateSpecification {
  // precompile() returns the specification as JavaScript source (what the build writes to a file).
  return new Function(`return ${hbs.precompile(source, COMPILE_OPTIONS)};`)() as TemplateSpecification;
}

/**
 * Handlebars redoes a template's set-up on every top-level call: it copies and wraps every
 * helper and builds its prototype-access tables, ~10 µs, which over ~1,700 files was about a
 * quarter of rendering. The set-up depends only on the environment, which is complete before
 * the first render, and it stays on the template; after the first call it is reused by
 * replacing the template's `_setup` with nothing. Partials are left alone: Handlebars sets
 * them up from their caller.
 */
function setUpOnce(template: Template): Template {
  const withSetUp = template as Template & { _setup?: unknown };
  let ready = false;
  return (data, options) => {
    const out = template(data, options);
    if (!ready && typeof withSetUp._setup === 'function') {
      withSetUp._setup = () => {};
      ready = true;
    }
    return out;
  };
}

/** Render `templates/<name>.hbs` with `data`: as a plain function when the template is in fast-template.ts's subset. */
export function render(name: string, data: object): string {
  env ??= load();
  observer?.(name, data);
  const fast = env.fast.get(name);
  return fast ? fast(data, {}, env.runtime) : renderWithHandlebars(name, data);
}

/** Render with Handlebars' runtime only (tests compare it with the fast functions). */
export function renderWithHandlebars(name: string, data: object): string {
  const template = handlebarsTemplates().get(name);
  if (!template) throw new Error(`no template ${name}.hbs in ${TEMPLATES_DIR}`);
  return template(data);
}

/** Which templates render as plain functions. */
export function fastTemplateNames(): string[] {
  env ??= load();
  return [...env.fast.keys()].sort();
}

let observer: ((name: string, data: object) => void) | undefined;
/** Tests only: see every render (template name and data) while `fn` runs. */
export function observeRenders<T>(fn: () => T, seen: (name: string, data: object) => void): T {
  observer = seen;
  try {
    return fn();
  } finally {
    observer = undefined;
  }
}
