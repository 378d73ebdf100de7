/** Spec text lands in code: each target's escaping must keep it inert and intact. */
import { parse } from 'yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentText, hashCommentText, jsDoc, markdownInline, tsString, yamlString } from '../../src/render/escape.js';

const HOSTILE = ["*/ alert('x') /*", '`${process.exit(1)}`', "it's \"quoted\"", 'line\nbreak\r\nand\u2028sep', '\\', '<!-- -->', '# not a comment', '| pipe |'];

describe('escaping spec text', () => {
  it('tsString yields a literal that evaluates back to the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lit = tsString(s);
        expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
        expect(new Function(`return ${lit};`)()).toBe(s);
      }),
      { numRuns: 2000 },
    );
    for (const s of HOSTILE) expect(new Function(`return ${tsString(s)};`)()).toBe(s);
  });

  it('jsDoc and commentText cannot close the comment', () => {
    for (const s of [...HOSTILE, '*/', '**/', '*//*']) {
      const doc = jsDoc(s);
      expect(doc.indexOf('*/')).toBe(doc.length - 3);
      expect(commentText(s)).not.toContain('*/');
      // The comment and nothing else: a parser sees no code in it.
      expect(new Function(`${doc}return 1;`)()).toBe(1);
    }
  });

  it('yamlString round-trips through a YAML parser', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(parse(`k: ${yamlString(s)}`)).toEqual({ k: s });
      }), { numRuns: 2000 });
  });

  it('hashCommentText keeps a # comment on one line; markdownInline escapes table and code syntax', () => {
    for (const s of HOSTILE) expect(hashCommentText(s)).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(markdownInline('a | b `c` <d>')).toBe('a \\| b \\`c\\` \\<d\\>');
  });
});
