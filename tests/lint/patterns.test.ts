import { describe, expect, it } from 'vitest';
import { nestedRepetition } from '../../src/checks/patterns.js';

describe('nestedRepetition', () => {
  it.each(['(a+)+', '^(a*)*$', '^(\\w+\\s?)*$', '(?:x+)+y', '((ab)+c?)*', '(a|b+)*', '(a+){2,}', '(?<w>\\d+)*'])('flags %s', (p) => {
    expect(nestedRepetition(p)).toBe(true);
  });

  it.each(['^[a-z]+$', '(ab)+', '^([a-z0-9]+\\.)*[a-z]+$', '^[^@\\s]+@[^@\\s]+$', '\\d{3}-\\d{4}', '(a+){2}', '(a+)?', '[(a+)]+', '\\(a+\\)+', '(a+b)+'])('accepts %s', (p) => {
    expect(nestedRepetition(p)).toBe(false);
  });
});
