import { describe, expect, it } from 'vitest';
import { tsLiteral } from '../../src/render/ts-literal.js';

describe('tsLiteral', () => {
  it('keeps short collections on one line, with bare identifier keys and single quotes', () => {
    expect(tsLiteral({ type: 'object', required: ['id'], 'x-y': 1, ok: true })).toBe("{ type: 'object', required: ['id'], 'x-y': 1, ok: true }");
  });

  it('breaks a collection that does not fit into one entry per line, indented', () => {
    const long = { description: 'x'.repeat(60), properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 200 } } };
    expect(tsLiteral([long])).toBe(
      [
        '[',
        '  {',
        `    description: '${'x'.repeat(60)}',`,
        "    properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 200 } },",
        '  },',
        ']',
      ].join('\n'),
    );
  });

  it('escapes what a string holds and quotes keys that are not identifiers', () => {
    expect(tsLiteral({ "it's": "a\nb'c" })).toBe("{ 'it\\'s': 'a\\nb\\'c' }");
    expect(tsLiteral({ '200': 1 })).toBe("{ '200': 1 }");
    expect(tsLiteral([])).toBe('[]');
    expect(tsLiteral({})).toBe('{}');
  });

  it('evaluates to the value it prints', () => {
    const value = { a: [1, 'two', { three: [true, null] }], 'b-c': { d: 'e'.repeat(120) } };
    expect(new Function(`return ${tsLiteral(value)};`)()).toEqual(value);
  });
});
