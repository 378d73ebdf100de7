import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/render/yaml-emit.js';

const normalise = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('toYaml', () => {
  it('writes block-style YAML a person would', () => {
    expect(toYaml({ openapi: '3.1.0', info: { title: 'user', version: '1' }, paths: { '/users/{id}': { get: { tags: ['a', 'b'], responses: { '200': { description: 'OK' } } } } }, empty: {}, none: [] })).toBe(
      [
        'openapi: "3.1.0"',
        'info:',
        '  title: user',
        '  version: "1"',
        'paths:',
        '  /users/{id}:',
        '    get:',
        '      tags:',
        '        - a',
        '        - b',
        '      responses:',
        '        "200":',
        '          description: OK',
        'empty: {}',
        'none: []',
        '',
      ].join('\n'),
    );
  });

  it('quotes what YAML would read as something else', () => {
    for (const s of ['true', 'no', 'null', '~', '1', '0x1F', '-1.5', '.inf', '', ' a', 'a ', 'a: b', 'a #b', '#x', '- x', '*a', '&a', '!t', '%x', '@x', '`x', "'x", '"x', 'a\nb', '{x}', '[x]', 'x,y', '?x', '|x', '>x', '\u2028']) {
      expect(parse(toYaml({ k: s })), JSON.stringify(s)).toEqual({ k: s });
    }
  });

  it('quotes the words YAML 1.1 readers take for booleans, in any case, and nothing plain-safe', () => {
    for (const s of ['yes', 'No', 'ON', 'off', 'y', 'N', 'True', 'NULL']) expect(toYaml({ k: s }), s).toBe(`k: ${JSON.stringify(s)}\n`);
    for (const s of ['yesterday', 'nothing', 'User', '/users/{id}', 'a b', '$ref', 'application/json', 'x-y.z']) expect(toYaml({ k: s }), s).toBe(`k: ${s}\n`);
  });

  it('round-trips random JSON through the yaml parser', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const v = normalise(value);
        expect(parse(toYaml(v))).toEqual(v);
      }),
      { numRuns: 3000 },
    );
  });
});
