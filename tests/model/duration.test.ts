/** Durations as the spec writes them, in milliseconds. */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/model/duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['0ms', 0],
    ['5s', 5000],
    ['1m', 60_000],
    ['90m', 5_400_000],
    ['1h', 3_600_000],
    ['999999999ms', 999_999_999],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 's', '1.5s', '-1s', '5 s', ' 5s', '5S', '5sec', '1d', '1e3ms', '1000000000ms', '5s5', '0x10s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
