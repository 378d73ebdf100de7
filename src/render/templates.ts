/**
 * Handlebars templates from `templates/`, compiled once per process on first use.
 * `noEscape` is on because nothing here is HTML: every value that comes from the spec goes
 * through an explicit escaping helper for its target (`ts`, `doc`, `yaml`, `hash`, `md`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { camelCase, constantCase, pascalCase } from '../model/names.js';
import { hashCommentText, jsDoc, markdownInline, tsString, yamlString } from './escape.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

type Template = Handlebars.TemplateDelegate;
let env: { hbs: typeof Handlebars; templates: Map<string, Template> } | undefined;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

function load(): NonNullable<typeof env> {
  const hbs = Handlebars.create();
  hbs.registerHelper({
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
  });
  const templates = new Map<string, Template>();
  for (const file of listFiles(TEMPLATES_DIR)) {
    if (!file.endsWith('.hbs')) continue;
    const name = relative(TEMPLATES_DIR, file).split(sep).join('/').replace(/\.hbs$/, '');
    const source = readFileSync(file, 'utf8');
    if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), source);
    else templates.set(name, hbs.compile(source, { noEscape: true, strict: true }));
  }
  return { hbs, templates };
}

/** Render `templates/<name>.hbs` with `data`. */
export function render(name: string, data: object): string {
  env ??= load();
  const template = env.templates.get(name);
  if (!template) throw new Error(`no template ${name}.hbs in ${TEMPLATES_DIR}`);
  return template(data);
}
