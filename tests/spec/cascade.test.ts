/** One YAML mistake, one diagnostic: the parser's follow-on errors are counted, not listed. */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/lint.js';

describe('YAML error cascades', () => {
  it('reports the first error of an unquoted {param} in a flow map, with a hint and a count', () => {
    const text = 'microgen: 1\nname: x\nservices:\n  a:\n    operations:\n      getA: { http: GET /a/{id}, responses: { 200: Error } }\n      getB:\n        http: GET /b\n';
    const { diagnostics } = lintText('m.yaml', text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'yaml-syntax', line: 6, column: 28 });
    expect(diagnostics[0].message).toContain('must be quoted, as in `http: "GET /users/{id}"`');
    expect(diagnostics[0].message).toMatch(/\(\d+ more YAML errors after this one, likely caused by it\)$/);
  });

  it('still lists every duplicate key', () => {
    const { diagnostics } = lintText('m.yaml', 'microgen: 1\nname: x\nname: y\ndescription: a\ndescription: b\n');
    expect(diagnostics.map((d) => [d.line, d.rule])).toEqual([
      [3, 'yaml-syntax'],
      [5, 'yaml-syntax'],
    ]);
  });
});
