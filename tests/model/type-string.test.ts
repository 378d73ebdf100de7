/** Type strings (`Item[]`, `string?`, `a|b|c`, formats, schema names) to TypeRefs. */
import { describe, expect, it } from 'vitest';
import { parseTypeString, typeToString, walkType, type Scope } from '../../src/model/type-string.js';

const scope: Scope = { shared: new Set(['Item', 'Money', 'User']), local: new Set(['Order', 'User']) };
const none: Scope = { shared: new Set(), local: new Set() };

describe('parseTypeString', () => {
  it.each(['string', 'integer', 'number', 'boolean'])('primitive %s', (t) => {
    expect(parseTypeString(t, scope)).toEqual({ optional: false, type: { kind: 'primitive', name: t } });
  });

  it.each(['uuid', 'email', 'date', 'date-time', 'uri'])('format %s is a string format, not a schema', (t) => {
    expect(parseTypeString(t, scope)).toEqual({ optional: false, type: { kind: 'format', format: t } });
  });

  it('a trailing ? makes the field optional and is not part of the type', () => {
    expect(parseTypeString('string?', scope)).toEqual({ optional: true, type: { kind: 'primitive', name: 'string' } });
    expect(parseTypeString('Item?', scope)).toEqual({ optional: true, type: { kind: 'ref', name: 'Item', scope: 'shared' } });
  });

  it('T[] is an array of T, and T[][] an array of arrays', () => {
    expect(parseTypeString('Item[]', scope)).toEqual({ optional: false, type: { kind: 'array', items: { kind: 'ref', name: 'Item', scope: 'shared' } } });
    expect(parseTypeString('integer[][]', scope).type).toEqual({ kind: 'array', items: { kind: 'array', items: { kind: 'primitive', name: 'integer' } } });
    expect(parseTypeString('email[]?', scope)).toEqual({ optional: true, type: { kind: 'array', items: { kind: 'format', format: 'email' } } });
  });

  it('a|b|c is a string enum, in the written order', () => {
    expect(parseTypeString('pending|completed|cancelled', scope)).toEqual({ optional: false, type: { kind: 'enum', values: ['pending', 'completed', 'cancelled'] } });
    expect(parseTypeString('asc|desc?', scope)).toEqual({ optional: true, type: { kind: 'enum', values: ['asc', 'desc'] } });
  });

  it('empty is the no-body type', () => {
    expect(parseTypeString('empty', scope).type).toEqual({ kind: 'empty' });
  });

  it("resolves schema names: the service's own first, then shared, then the built-in Error", () => {
    expect(parseTypeString('Order', scope).type).toEqual({ kind: 'ref', name: 'Order', scope: 'service' });
    expect(parseTypeString('Money', scope).type).toEqual({ kind: 'ref', name: 'Money', scope: 'shared' });
    // A service schema shadows a shared one of the same name.
    expect(parseTypeString('User', scope).type).toEqual({ kind: 'ref', name: 'User', scope: 'service' });
    expect(parseTypeString('Error', scope).type).toEqual({ kind: 'ref', name: 'Error', scope: 'builtin' });
    expect(parseTypeString('Error', none).type).toEqual({ kind: 'ref', name: 'Error', scope: 'builtin' });
  });

  it('an unknown name is kept as an unresolved ref for the unknown-schema check', () => {
    expect(parseTypeString('Itme[]', scope).type).toEqual({ kind: 'array', items: { kind: 'ref', name: 'Itme', scope: 'unknown' } });
    expect(parseTypeString('Order', none).type).toEqual({ kind: 'ref', name: 'Order', scope: 'unknown' });
  });

  it('is case-sensitive: String is not string', () => {
    expect(parseTypeString('String', scope).type).toEqual({ kind: 'ref', name: 'String', scope: 'unknown' });
  });

  it('ignores surrounding spaces', () => {
    expect(parseTypeString('  integer? ', scope)).toEqual({ optional: true, type: { kind: 'primitive', name: 'integer' } });
  });
});

describe('typeToString and walkType', () => {
  it.each(['string', 'uuid', 'Item', 'Item[]', 'integer[][]', 'a|b|c', 'empty'])('%s round-trips', (t) => {
    expect(typeToString(parseTypeString(t, scope).type)).toBe(t);
  });

  it('walks nested types, itself first', () => {
    const kinds = [...walkType(parseTypeString('Item[][]', scope).type)].map((t) => t.kind);
    expect(kinds).toEqual(['array', 'array', 'ref']);
  });
});
