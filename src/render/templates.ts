/**
 * Handlebars templates from `templates/`, set up once per process on first use and rendered
 * by Handlebars' own runtime. `noEscape` is on because nothing here is HTML: every value that
 * comes from the spec goes through an explicit escaping helper for its target (`ts`, `doc`,
 * `yaml`, `hash`, `md`).
 *
 * The build precompiles them (scripts/precompile-templates.js): compiling costs ~100 ms per
 * cold run. The precompiled set is used only while it was made from the same sources, so an
 * edited template is never shadowed by an older build; otherwise (or without a build) the
 * templates compile here.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type Handlebars from 'handlebars';
import { camelCase, constantCase, pascalCase } from '../model/names.js';
import { hashCommentText, jsDoc, markdownInline, tsString, yamlString } from './escape.js';
import { ownPath } from '../util/own-files.js';

export const TEMPLATES_DIR = ownPath('templates');
/** Where the build puts the precompiled templates (scripts/precompile-templates.js). */
export const PRECOMPILED_TEMPLATES = ownPath('dist', 'render', 'templates.precompiled.cjs');

const require = createRequire(import.meta.url);

/** Shared with the build's precompilation. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Every template under templates/ as [name relative to it, without .hbs, source]. */
export function templateSources(dir: string = TEMPLATES_DIR): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): [string, string][] => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return templateSources(path);
    if (!e.name.endsWith('.hbs')) return [];
    return [[relative(TEMPLATES_DIR, path).split(sep).join('/').replace(/\.hbs$/, ''), readFileSync(path, 'utf8')]];
  });
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

/** sha256 over the templates' names and sources. */
export function sourcesHash(sources: readonly [string, string][]): string {
  const hash = createHash('sha256');
  for (const [name, source] of sources) hash.update(name).update('\0').update(source).update('\0');
  return hash.digest('hex');
}

/** What Handlebars.precompile produces, evaluated (a global type in handlebars' typings). */
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/** The build's precompiled templates, when they were made from `sources`. */
function precompiled(sources: readonly [string, string][]): Record<string, TemplateSpecification> | undefined {
  try {
    const built = require(PRECOMPILED_TEMPLATES) as { sourceHash: string; templates: Record<string, TemplateSpecification> };
    return built.sourceHash === sourcesHash(sources) ? built.templates : undefined;
  } catch {
    return undefined; // no build beside this module
  }
}

let templates: Map<string, Handlebars.TemplateDelegate> | undefined;

/** Every template, ready to render; those under partials/ are registered as partials by their name there. */
function load(): Map<string, Handlebars.TemplateDelegate> {
  const sources = templateSources();
  const specs = precompiled(sources);
  // Precompiled templates need only Handlebars' runtime, not its parser and compiler.
  const hbs = (require(specs ? 'handlebars/runtime' : 'handlebars') as typeof Handlebars).create();
  hbs.registerHelper(HELPERS);
  const ready = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, source] of sources) {
    const template = specs?.[name] ? hbs.template(specs[name]) : hbs.compile(source, COMPILE_OPTIONS);
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), template);
    else ready.set(name, template);
  }
  return ready;
}

/** Render `templates/<name>.hbs` with `data`. */
export function render(name: string, data: object): string {
  templates ??= load();
  const template = templates.get(name);
  if (!template) throw new Error(`no template ${name}.hbs in ${TEMPLATES_DIR}`);
  return template(data);
}
