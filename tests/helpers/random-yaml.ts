/**
 * Random YAML documents for the fast-path readers' property tests: values holding YAML's
 * special characters (hostile strings, number look-alikes, keywords), written in the styles a
 * person might use and some no reader should accept: block and flow collections, plain,
 * single- and double-quoted scalars, comments, sequences indented or at their key's column,
 * odd indentation steps, duplicate keys.
 */
import fc from 'fast-check';

const TRICKY = [
  '', ' ', 'null', 'Null', 'NULL', 'nULL', '~', 'true', 'True', 'FALSE', 'yes', 'no', 'on', 'y', '0', '-0', '00', '007', '12', '-12', '+12', '1.5', '1.50', '-0.0', '.5', '5.',
  '1e3', '1E-3', '0x1F', '0o17', '0b11', '1_000', '.inf', '-.Inf', '.nan', '2s', '100ms', '1.2.3', '2024-01-01', 'a: b', 'a:b', 'a:', ':a', 'a #b', 'a#b', '#x', '- x', '-x', '-',
  '[x]', '{x}', 'x]', 'x}', 'x,y', "it's", '"q"', "'q'", '\\', 'a\\nb', 'ü', '😀', '<<', '__proto__', 'GET /a/{id}', ' lead', 'trail ', '@x', '`x', '%x', '!x', '&x', '*x', '|', '>',
  '?x', '? x', ',x', '---', '...', 'tab\there', 'line\nbreak', 'x # y', 'constructor',
  'two\nlines\n', 'a\n\nb', '\nlead', 'end\n\n', ' x\ny', 'x\n  y', 'one two three', 'a  b', '# not\na: comment',
];
export const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const scalar = fc.oneof(fc.constantFrom(...TRICKY), word, fc.integer({ min: -1000, max: 100000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 6 }));
const key = fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY) }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) });
/** A map as written: entries in order, duplicates and all (the reader must refuse those). */
class YMap {
  constructor(readonly entries: [string, Value][]) {}
}
type Value = unknown;
const value: fc.Arbitrary<Value> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, tie('map'), tie('list')),
  map: fc.array(fc.tuple(key, tie('node')), { minLength: 0, maxLength: 4 }).map((entries) => new YMap(entries as [string, Value][])),
  list: fc.array(tie('node'), { minLength: 0, maxLength: 4 }),
})).node;

/** Style choices, drawn in turn from seeded lists. */
type Quote = 'plain' | 'single' | 'double' | '|' | '|-' | '>' | '>-';
interface Style {
  quote(): Quote;
  flow(): boolean;
  sameIndentList(): boolean;
  comment(): string;
  step(): number;
}

function scalarText(v: unknown, style: Style, quote: Quote = typeof v === 'string' ? style.quote() : 'plain'): string {
  const s = typeof v === 'string' ? v : v === null ? 'null' : String(v);
  switch (quote) {
    case 'plain':
      return s;
    case 'single':
      return `'${s.replace(/'/g, "''")}'`;
    default:
      return JSON.stringify(s); // block scalars only where a value may span lines
  }
}

/** A string as a block scalar below its key or dash: its lines indented by `indent`, blank lines left empty. */
function blockScalar(header: string, s: string, indent: number, style: Style): string[] {
  const pad = ' '.repeat(indent);
  const lines = (header.startsWith('>') ? s.replace(/ /g, '\n') : s).split('\n');
  return [`${header}${style.comment()}`, ...lines.map((l) => (l === '' ? '' : pad + l))];
}

const isCollection = (v: Value): v is YMap | Value[] => v instanceof YMap || Array.isArray(v);
const sizeOf = (v: YMap | Value[]): number => (v instanceof YMap ? v.entries.length : v.length);

function flowText(v: Value, style: Style): string {
  if (v instanceof YMap) return `{ ${v.entries.map(([k, x]) => `${scalarText(k, style)}: ${flowText(x, style)}`).join(', ')} }`;
  if (Array.isArray(v)) return `[${v.map((x) => flowText(x, style)).join(', ')}]`;
  return scalarText(v, style);
}

function blockLines(v: YMap | Value[], indent: number, style: Style, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (v instanceof YMap) {
    for (const [k, x] of v.entries) {
      const head = `${pad}${scalarText(k, style)}:`;
      if (isCollection(x) && sizeOf(x) > 0 && !style.flow()) {
        out.push(head + style.comment());
        blockLines(x, Array.isArray(x) && style.sameIndentList() ? indent : indent + style.step(), style, out);
      } else {
        const quote = typeof x === 'string' ? style.quote() : 'plain';
        if (quote.length <= 2) {
          const [header, ...lines] = blockScalar(quote, x as string, indent + style.step(), style);
          out.push(`${head} ${header}`, ...lines);
        } else out.push(`${head} ${typeof x === 'string' ? scalarText(x, style, quote) : flowText(x, style)}${style.comment()}`);
      }
    }
    return;
  }
  for (const x of v) {
    if (x instanceof YMap && x.entries.length > 0 && !style.flow()) {
      const inner: string[] = [];
      blockLines(x, indent + 2, style, inner);
      out.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    } else if (Array.isArray(x) && x.length > 0 && !style.flow()) {
      out.push(`${pad}-${style.comment()}`);
      blockLines(x, indent + style.step(), style, out);
    } else {
      const quote = typeof x === 'string' ? style.quote() : 'plain';
      if (quote.length <= 2) {
        const [header, ...lines] = blockScalar(quote, x as string, indent + style.step(), style);
        out.push(`${pad}- ${header}`, ...lines);
      } else out.push(`${pad}- ${typeof x === 'string' ? scalarText(x, style, quote) : flowText(x, style)}${style.comment()}`);
    }
  }
}

const styleArb = fc.record({
  quotes: fc.array(fc.constantFrom<Quote>('plain', 'plain', 'plain', 'single', 'double', '|', '|-', '>', '>-'), { minLength: 64, maxLength: 64 }),
  flows: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  sameIndent: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  comments: fc.array(fc.constantFrom('', '', '', ' # note', ' #', "  # it's"), { minLength: 64, maxLength: 64 }),
  steps: fc.array(fc.constantFrom(2, 2, 4, 1, 3), { minLength: 64, maxLength: 64 }),
});

function styleFrom(s: fc.RecordValue<{ quotes: Quote[]; flows: boolean[]; sameIndent: boolean[]; comments: string[]; steps: number[] }>): Style {
  let i = 0;
  const next = <T>(xs: T[]): T => xs[i++ % xs.length];
  return { quote: () => next(s.quotes), flow: () => next(s.flows), sameIndentList: () => next(s.sameIndent), comment: () => next(s.comments), step: () => next(s.steps) };
}

/** A whole document: a block map at the root, maybe with blank and comment lines between entries. */
export const yamlDocument: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }), styleArb, fc.boolean())
  .map(([entries, s, blankLines]) => {
    const lines: string[] = [];
    blockLines(new YMap(entries as [string, Value][]), 0, styleFrom(s), lines);
    return (blankLines ? lines.flatMap((l, i) => (i % 3 === 1 ? ['', '# comment', l] : [l])) : lines).join('\n') + '\n';
  });
