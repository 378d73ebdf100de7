/**
 * Templates render as plain functions (src/render/fast-template.ts) where their constructs allow,
 * and must produce exactly what Handlebars' runtime produces. Checked two ways: every render of
 * real systems (the examples, the runtime and hostile fixtures, a synthetic system with every
 * database and sagas) is done both ways and compared; and small templates probe the rules one at
 * a time (whitespace of standalone tags, else, @first/@last, ../, partial indentation, strictness).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { makeSpec } from '../../bench/make-spec.js';
import { lintText } from '../../src/lint.js';
import { planSystem } from '../../src/plan/index.js';
import { fastRuntime, fastTemplateSource, type FastTemplate } from '../../src/render/fast-template.js';
import { fastTemplateNames, observeRenders, render, renderWithHandlebars, templateSources } from '../../src/render/templates.js';
import { ROOT } from '../helpers/system.js';

const SPECS: [string, string][] = [
  ...['examples/shop/microgen.yaml', 'examples/minimal/microgen.yaml', 'tests/e2e/fixtures/runtime.yaml', 'tests/fixtures/hostile/microgen.yaml'].map((p): [string, string] => [p, readFileSync(join(ROOT, p), 'utf8')]),
  ['synthetic, 12 services', makeSpec(12) as string],
];

describe('templates as plain functions', () => {
  it('covers every template (a new construct outside the subset shows up here)', () => {
    const all = templateSources()
      .map(([name]) => name)
      .filter((name) => !name.startsWith('partials/'));
    expect(fastTemplateNames()).toEqual(all);
  });

  for (const [label, text] of SPECS) {
    it(`renders every file of ${label} exactly as Handlebars does`, () => {
      const result = lintText('microgen.yaml', text);
      expect(result.model, JSON.stringify(result.diagnostics)).toBeDefined();
      const renders: [string, object][] = [];
      observeRenders(() => planSystem({ model: result.model!, specPath: 'microgen.yaml', version: '0.0.0-test' }), (name, data) => renders.push([name, data]));
      expect(renders.length).toBeGreaterThan(10);
      for (const [name, data] of renders) expect(render(name, data), name).toBe(renderWithHandlebars(name, data));
    });
  }
});

describe('the subset, one rule at a time', () => {
  const helpers = { shout: (v: unknown) => String(v).toUpperCase(), eq: (a: unknown, b: unknown) => a === b };
  const partials = { item: '{{#each members}}\n{{#unless @first}}\n\n{{/unless}}\n{{this}}\n{{/each}}\n' };

  /** The template through Handlebars (strict, noEscape, like templates.ts) and as a fast function. */
  function both(source: string, data: object): { handlebars: () => string; fast: () => string } {
    const hbs = Handlebars.create();
    hbs.registerHelper(helpers);
    for (const [name, text] of Object.entries(partials)) hbs.registerPartial(name, text);
    const compile = (text: string) => {
      const body = fastTemplateSource(hbs.parse(text) as never, new Set(Object.keys(helpers)), new Set(Object.keys(partials)));
      if (body === undefined) throw new Error(`outside the subset: ${text}`);
      return new Function('context', 'data', 'rt', body) as FastTemplate;
    };
    const rt = fastRuntime(helpers as never, Object.fromEntries(Object.entries(partials).map(([n, t]) => [n, compile(t)])));
    return { handlebars: () => hbs.compile(source, { noEscape: true, strict: true })(data), fast: () => compile(source)(data, {}, rt) };
  }
  const same = (source: string, data: object) => {
    const { handlebars, fast } = both(source, data);
    expect(fast()).toBe(handlebars());
    return fast();
  };

  it('keeps text, drops comments, and removes the lines of standalone block tags', () => {
    expect(same('a\n{{!-- note --}}\n  {{#if x}}\n  yes\n  {{else}}\n  no\n  {{/if}}\nb {{~ y ~}} c\n', { x: true, y: '!' })).toBe('a\n  yes\nb!c\n');
  });

  it('treats false, 0, empty strings and empty lists as false in #if and #unless', () => {
    for (const x of [false, 0, '', null, [], [0], {}, 'a', 1]) same('{{#if x}}T{{else}}F{{/if}}{{#unless x}}u{{/unless}}', { x });
  });

  it('walks lists and objects with @first, @last, @index, @key and else', () => {
    same('{{#each xs}}{{@index}}{{@key}}{{#if @first}}<{{/if}}{{this}}{{#if @last}}>{{/if}},{{else}}none{{/each}}', { xs: ['a', 'b', 'c'] });
    same('{{#each xs}}{{@key}}={{this}};{{/each}}', { xs: { b: 1, a: 2, 10: 3 } });
    same('{{#each xs}}{{@index}}:{{this}};{{/each}}', { xs: new Set(['p', 'q']) });
    same('{{#each xs}}x{{else}}none{{/each}}', { xs: [] });
  });

  it('reads the outer context with ../ inside #each, and through #if', () => {
    same('{{#each items}}{{#if ../flag}}{{name}}:{{../label}} {{/if}}{{/each}}', { flag: 1, label: 'L', items: [{ name: 'a' }, { name: 'b' }] });
  });

  it('calls helpers with paths, literals and sub-expressions', () => {
    same('{{shout name}} {{#if (eq kind "x")}}is x{{/if}} {{shout "lit"}}', { name: 'n', kind: 'x' });
  });

  it('indents a standalone partial and hands it the hash', () => {
    // Every line of the partial's output is indented, blank ones too; the last newline is not followed by one.
    expect(same('class A {\n  {{> item members=stubs}}\n}\n', { stubs: ['one()', 'two()'] })).toBe('class A {\n  one()\n  \n  two()\n}\n');
  });

  it('prints null and undefined as nothing, numbers, booleans and lists as JavaScript does', () => {
    same('[{{a}}|{{b}}|{{c}}|{{d}}|{{e}}]', { a: null, b: undefined, c: 0, d: false, e: ['x', 'y'] });
    // Handlebars joins a program's parts with +, so leading numbers add up: kept identical.
    same('{{#each xs}}{{@index}}{{@index}}|{{/each}}{{n}}{{n}}', { xs: [1, 2, 3], n: 2 });
  });

  it('calls a helper for a bare name it registers, so such templates stay with Handlebars', () => {
    expect(fastTemplateSource(Handlebars.parse('{{shout}}') as never, new Set(['shout']), new Set())).toBeUndefined();
  });

  it('throws on a missing name, as strict Handlebars does', () => {
    const { handlebars, fast } = both('{{missing}}', {});
    expect(handlebars).toThrow(/"missing" not defined/);
    expect(fast).toThrow(/"missing" not defined/);
  });

  it('leaves constructs outside the subset to Handlebars', () => {
    for (const source of ['{{#with a}}x{{/with}}', '{{lookup a "b"}}', '{{> (dynamic) }}', '{{@root.a}}', '{{#each xs as |x|}}{{x}}{{/each}}']) {
      expect(fastTemplateSource(Handlebars.parse(source) as never, new Set(), new Set()), source).toBeUndefined();
    }
  });
});
