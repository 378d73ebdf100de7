/**
 * Lint asks the schema twice as often "valid or not?" as it asks for messages, so the build
 * compiles a first-error validator for that question (dist/spec/schema-check.cjs) beside the
 * one that collects every error (dist/spec/schema-validator.cjs). They must always agree:
 * checked here on the examples and on random damage to the shop's data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/system.js';

const require = createRequire(import.meta.url);
type Validate = (data: unknown) => boolean;

describe('the first-error schema validator of the build', () => {
  const built = (file: string): Validate => {
    expect(existsSync(join(ROOT, 'dist/spec', file)), 'run `npm run build` before the tests').toBe(true);
    return require(join(ROOT, 'dist/spec', file)) as Validate;
  };
  const specs = ['examples/shop/microgen.yaml', 'examples/minimal/microgen.yaml'].map((p) => load(readFileSync(join(ROOT, p), 'utf8')));

  it('accepts the examples, as the full validator does', () => {
    const [check, full] = [built('schema-check.cjs'), built('schema-validator.cjs')];
    for (const spec of specs) expect([check(spec), full(spec)]).toEqual([true, true]);
  });

  it('agrees with the full validator on random damage to the shop', () => {
    const [check, full] = [built('schema-check.cjs'), built('schema-validator.cjs')];
    const VALUES = [null, 0, -1, 1.5, '', 'x', 'GET /x', 'string[]', 'Nope', true, [], {}, ['a'], { a: 1 }];
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...VALUES)), { minLength: 1, maxLength: 3 }), (edits) => {
        const data = structuredClone(specs[0]) as Record<string, unknown>;
        for (const [pick, key, value] of edits) {
          // Walk to a random map or list, then set, replace or delete one of its entries.
          let node: Record<string, unknown> = data;
          for (let depth = pick % 5; depth > 0; depth--) {
            const children = Object.values(node).filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
            if (children.length === 0) break;
            node = children[(pick >> depth) % children.length];
          }
          const keys = Object.keys(node);
          const target = keys.length && key % 3 !== 0 ? keys[key % keys.length] : `extra${key % 4}`;
          if (key % 7 === 0) delete node[target];
          else node[target] = structuredClone(value);
        }
        const answer = check(data);
        if (!answer) rejected++;
        expect(answer).toBe(full(data));
      }),
      { numRuns: 400, seed: 20261124 },
    );
    // The damage must actually produce invalid specs, or agreement proves little.
    expect(rejected).toBeGreaterThan(100);
  });
});
