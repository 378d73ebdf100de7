/**
 * Templates as plain functions. Handlebars' runtime costs more than the text it produces: per
 * call it allocates an options object, a data frame and source locations for every block and
 * helper, and looks every name up through its prototype guards (~40 ms of a cold 100-service
 * generate). For the subset of Handlebars our templates use, this module turns the template's
 * AST — from Handlebars' own parser, with its whitespace rules already applied — into the body
 * of a JavaScript function that builds the same string. Anything outside the subset returns
 * undefined and that template keeps the Handlebars runtime, so a new construct in a template
 * costs speed, never correctness (tests/render/fast-template.test.ts renders every template
 * both ways).
 *
 * The subset: text and comments; `{{path}}` (strict: a missing name throws, as Handlebars'
 * `strict` mode does); `{{helper arg…}}` for registered helpers, with paths, literals and
 * `(sub expressions)` as arguments; `#if`, `#unless` and `#each` (arrays and plain objects,
 * with `@first`, `@last`, `@index`, `@key`) with `else`; and `{{> partial key=value}}`,
 * indented like Handlebars indents a standalone partial.
 */

/** The part of Handlebars' AST the generator reads (see `hbs.AST` in handlebars' typings). */
interface Node {
  type: string;
  [key: string]: unknown;
}
interface Path extends Node {
  type: 'PathExpression';
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface Hash {
  pairs: { key: string; value: Node }[];
}
interface Program {
  body: Node[];
}

class Unsupported extends Error {}

/** What a generated function calls: helpers by name, partial functions, and small guards. */
export interface FastRuntime {
  readonly helpers: Record<string, (...args: unknown[]) => unknown>;
  readonly partials: Record<string, FastTemplate>;
  /** `{{name}}`: the context must have the name (Handlebars' strict mode). */
  strict(obj: unknown, name: string): unknown;
  /** A name inside a path or an argument: undefined when missing. */
  prop(obj: unknown, name: string): unknown;
  /** Handlebars' falsy for `#if`: false, 0, '', null, undefined and the empty list. */
  empty(value: unknown): boolean;
  /** A mustache's or a block's value in the output: nothing for null and undefined. */
  text(value: unknown): unknown;
  /** `#each` over a list or an object (Handlebars' each helper): the items' texts joined, or `otherwise()` when there are none. */
  each(value: unknown, item: (item: unknown, data: FastData) => unknown, otherwise: () => unknown): unknown;
  /** A standalone partial's lines, each indented. */
  indent(text: string, indent: string): string;
}

export type FastTemplate = (context: unknown, data: FastData, rt: FastRuntime) => string;
export interface FastData {
  first?: boolean;
  last?: boolean;
  index?: number;
  key?: string | number;
}

/** The JavaScript body of `(context, data, rt) => string` for `program`, or undefined outside the subset. */
export function fastTemplateSource(template: Program, helpers: ReadonlySet<string>, partials: ReadonlySet<string>): string | undefined {
  let fresh = 0;
  const name = (prefix: string) => `${prefix}${fresh++}`;

  // `ctxs`: the contexts from the template's own to the innermost `#each` item; `../` steps out one.
  const pathValue = (path: Path, ctxs: string[], data: string, terminalStrict: boolean): string => {
    if (path.depth >= ctxs.length) throw new Unsupported('../ beyond the template');
    const ctx = ctxs[ctxs.length - 1 - path.depth];
    if (path.depth > 0 && path.data) throw new Unsupported('../@data');
    if (path.data) {
      if (path.parts.length !== 1 || !['first', 'last', 'index', 'key'].includes(path.parts[0])) throw new Unsupported(`@${path.parts.join('.')}`);
      return `${data}.${path.parts[0]}`;
    }
    if (path.parts.length === 0) return ctx; // `this`
    let expr = ctx;
    path.parts.forEach((part, i) => {
      const last = i === path.parts.length - 1;
      expr = last && terminalStrict ? `rt.strict(${expr}, ${JSON.stringify(part)})` : `rt.prop(${expr}, ${JSON.stringify(part)})`;
    });
    return expr;
  };

  const hashObject = (hash: Hash | undefined, ctxs: string[], data: string): string =>
    `{ ${(hash?.pairs ?? []).map((p) => `${JSON.stringify(p.key)}: ${argument(p.value, ctxs, data)}`).join(', ')} }`;

  const helperCall = (path: Path, params: Node[], hash: Hash | undefined, ctxs: string[], data: string): string => {
    if (path.data || path.depth !== 0 || path.parts.length !== 1 || !helpers.has(path.parts[0])) throw new Unsupported(`helper ${path.original}`);
    const args = params.map((p) => argument(p, ctxs, data));
    // Handlebars calls a helper with the context as `this` and an options object last.
    return `rt.helpers[${JSON.stringify(path.parts[0])}].call(${ctxs[ctxs.length - 1]}, ${[...args, `{ hash: ${hashObject(hash, ctxs, data)} }`].join(', ')})`;
  };

  function argument(node: Node, ctxs: string[], data: string): string {
    switch (node.type) {
      case 'PathExpression':
        return pathValue(node as Path, ctxs, data, false);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return JSON.stringify(node.value);
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      case 'SubExpression':
        return helperCall(node.path as Path, node.params as Node[], node.hash as Hash | undefined, ctxs, data);
      default:
        throw new Unsupported(node.type);
    }
  }

  /**
   * A program (the template, or a block's inside) as one expression: its parts joined by `+`,
   * left to right, exactly as Handlebars' compiled code joins them. (So two numbers at the start
   * of a program add up, as they do in Handlebars: `{{@index}}{{@index}}` is `2` for the second
   * item. No template here relies on that; the tests pin that both agree.)
   */
  function program(body: Program | undefined, ctxs: string[], data: string): string {
    const parts = (body?.body ?? []).map((node) => part(node, ctxs, data)).filter((p): p is string => p !== undefined);
    return parts.length === 0 ? '""' : `(${parts.join(' + ')})`;
  }

  function part(node: Node, ctxs: string[], data: string): string | undefined {
    const ctx = ctxs[ctxs.length - 1];
    switch (node.type) {
      case 'ContentStatement':
        return node.value ? JSON.stringify(node.value) : undefined;
      case 'CommentStatement':
        return undefined;
      case 'MustacheStatement': {
        const path = node.path as Path;
        const params = node.params as Node[];
        const hash = node.hash as Hash | undefined;
        if (path.type !== 'PathExpression') throw new Unsupported('literal mustache');
        // A name that is also a helper's is called by Handlebars, even without arguments.
        if (params.length === 0 && !hash?.pairs.length && !path.data && path.parts.length === 1 && helpers.has(path.parts[0])) throw new Unsupported('helper without arguments');
        const value = params.length > 0 || hash?.pairs.length ? helperCall(path, params, hash, ctxs, data) : pathValue(path, ctxs, data, true);
        return `rt.text(${value})`;
      }
      case 'BlockStatement': {
        const path = node.path as Path;
        const params = node.params as Node[];
        const helper = path.original;
        if (path.type !== 'PathExpression' || params.length !== 1 || (node.hash as Hash | undefined)?.pairs.length || (node.program as { blockParams?: unknown })?.blockParams) throw new Unsupported('block');
        const subject = argument(params[0], ctxs, data);
        const inside = node.program as Program | undefined;
        const inverse = node.inverse as Program | undefined;
        if (helper === 'if' || helper === 'unless') {
          const [then, otherwise] = helper === 'if' ? [inside, inverse] : [inverse, inside];
          return `rt.text(rt.empty(${subject}) ? ${program(otherwise, ctxs, data)} : ${program(then, ctxs, data)})`;
        }
        if (helper === 'each') {
          const [item, frame] = [name('item'), name('data')];
          return `rt.text(rt.each(${subject}, (${item}, ${frame}) => ${program(inside, [...ctxs, item], frame)}, () => ${program(inverse, ctxs, data)}))`;
        }
        throw new Unsupported(`#${helper}`);
      }
      case 'PartialStatement': {
        const partialName = (node.name as Path).original;
        if ((node.name as Node).type !== 'PathExpression' || !partials.has(partialName) || (node.params as Node[]).length > 0) throw new Unsupported('partial');
        // Handlebars hands a partial its caller's context extended by the hash.
        const hash = node.hash as Hash | undefined;
        const context = hash?.pairs.length ? `Object.assign({}, ${ctx}, ${hashObject(hash, ctxs, data)})` : ctx;
        const call = `rt.partials[${JSON.stringify(partialName)}](${context}, ${data}, rt)`;
        const indent = typeof node.indent === 'string' && node.indent !== '' ? node.indent : undefined;
        return indent ? `rt.indent(${call}, ${JSON.stringify(indent)})` : call;
      }
      default:
        throw new Unsupported(node.type);
    }
  }

  try {
    return `return "" + ${program(template, ['context'], 'data')};\n`;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

const own = Object.prototype.hasOwnProperty;

/** The runtime side, matching Handlebars 4's semantics for the subset. */
export function fastRuntime(helpers: FastRuntime['helpers'], partials: FastRuntime['partials']): FastRuntime {
  const prop = (obj: unknown, name: string): unknown => {
    if (obj === null || obj === undefined) return undefined;
    // Own properties only, as Handlebars allows by default (prototype access is denied).
    return typeof obj === 'string' ? (name === 'length' ? obj.length : undefined) : own.call(obj, name) ? (obj as Record<string, unknown>)[name] : undefined;
  };
  return {
    helpers,
    partials,
    strict(obj, name) {
      if (!obj || !(name in (obj as object))) throw new Error(`"${name}" not defined in ${String(obj)}`);
      return prop(obj, name);
    },
    prop,
    empty: (value) => !value || (Array.isArray(value) && value.length === 0),
    text: (value) => (value != null ? value : ''),
    each(value, item, otherwise) {
      let out = '';
      let i = 0;
      // Other iterables (a Map, a Set) are walked as the list of what they yield, as Handlebars does.
      if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') value = [...(value as Iterable<unknown>)];
      if (Array.isArray(value)) {
        for (; i < value.length; i++) out = out + item(value[i], { first: i === 0, last: i === value.length - 1, index: i, key: i });
      } else if (value && typeof value === 'object') {
        const keys = Object.keys(value);
        for (; i < keys.length; i++) out = out + item((value as Record<string, unknown>)[keys[i]], { first: i === 0, last: i === keys.length - 1, index: i, key: keys[i] });
      }
      return i === 0 ? otherwise() : out;
    },
    indent(text, indent) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i] && i + 1 === lines.length) break;
        lines[i] = indent + lines[i];
      }
      return lines.join('\n');
    },
  };
}
