/** "Did you mean …?": close enough to help, never a wild guess. */
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/util/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['databse', 'database', 1],
    // An adjacent transposition is one edit (it was two, so `Itme` found no `Item`).
    ['Itme', 'Item', 1],
    ['ca', 'ac', 1],
  ])('%j → %j is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  it('finds one-letter typos, transpositions, case slips and prefixes', () => {
    expect(closest('databse', ['description', 'port', 'database'])).toBe('database');
    expect(closest('Itme', ['Item', 'Money'])).toBe('Item');
    expect(closest('POSTGRES', ['postgres', 'mongodb'])).toBe('postgres');
    expect(closest('orch', ['orchestration', 'choreography'])).toBe('orchestration');
    expect(closest('payment.faild', ['payment.failed', 'order.created'])).toBe('payment.failed');
  });

  it('does not guess from short names', () => {
    expect(closest('id', ['os'])).toBeUndefined();
    expect(closest('x', ['yz'])).toBeUndefined();
  });

  it('judges dotted and dashed names by the segments that differ', () => {
    // Sharing `order.` made `cancelled` → `created` (distance 5) look close enough.
    expect(closest('order.cancelled', ['order.created'])).toBeUndefined();
    expect(closest('payment.charged', ['payment.failed'])).toBeUndefined();
    expect(closest('order-histroy', ['order-history', 'order-service'])).toBe('order-history');
    expect(closest('order.canceled', ['order.cancelled', 'order.created'])).toBe('order.cancelled');
  });

  it('prefers the nearest candidate, then the alphabetically first', () => {
    expect(closest('sevice', ['service', 'device'])).toBe('device');
    expect(closest('servce', ['service', 'servers'])).toBe('service');
  });
});

describe('didYouMean', () => {
  it('formats the hint with the requested quotes, or nothing', () => {
    expect(didYouMean('paymnt', ['payment'])).toBe(' (did you mean "payment"?)');
    expect(didYouMean('paymnt', ['payment'], '`')).toBe(' (did you mean `payment`?)');
    expect(didYouMean('zzz', ['payment'])).toBe('');
  });
});
