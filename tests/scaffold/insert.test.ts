/**
 * Text-preserving edits: every `add` kind changes only the lines it adds, on specs full of
 * comments, flow maps, quoting, blank lines and unusual indentation.
 */
import { describe, expect, it } from 'vitest';
import { applyAdd, type AddInput } from '../../src/edit/add.js';
import { EditError, Flow, insertEntry } from '../../src/edit/insert.js';
import { lintText } from '../../src/lint.js';
import { expectOnlyAdded, fixture, lineChanges, sourceOf } from './helpers.js';

const add = (text: string, input: AddInput): string => applyAdd(sourceOf(text), input);
const lintErrors = (text: string): string[] => lintText('microgen.yaml', text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.rule}: ${d.message}`);

describe('odd.yaml: 4-space indentation, comments everywhere, flow maps, quoting', () => {
  const odd = fixture('odd.yaml');

  it('is a valid spec to begin with', () => {
    expect(lintErrors(odd)).toEqual([]);
  });

  it('add service: a new entry after the last service and the comments that belong to it, blank-line separated like its siblings', () => {
    const out = add(odd, { kind: 'service', name: 'billing', port: 8005, database: 'redis' });
    expectOnlyAdded(odd, out, '        # a stray comment under order', ['', '    billing:', '        port: 8005', '        database: redis']);
    expect(lintErrors(out)).toEqual([]);
  });

  it('add event: inside the events map, before the comment at the siblings level', () => {
    const out = add(odd, { kind: 'event', name: 'order.created', fields: [['orderId', 'string'], ['total', 'number']], version: 2 });
    expectOnlyAdded(odd, out, '            name: string', ['    order.created:', '        version: 2', '        payload: { orderId: string, total: number }']);
    expect(lintErrors(out)).toEqual([]);
  });

  it('add operation: after the last operation, before the commented-out one', () => {
    const out = add(odd, { kind: 'operation', service: 'user', name: 'listUsers', http: 'GET /users', responses: [['200', 'User[]']] });
    expectOnlyAdded(odd, out, '                responses: { 200: User, 404: Error }', [
      '            listUsers:',
      '                http: GET /users',
      '                responses: { 200: "User[]" }',
    ]);
    expect(lintErrors(out)).toEqual([]);
  });

  it('add route: a list item in the list’s own style (dash flush with the key, `-   path`)', () => {
    const out = add(odd, { kind: 'route', path: '/api/billing', service: 'user', stripPath: true, upstreamPath: '/users', auth: 'none' });
    expectOnlyAdded(odd, out, '        upstreamPath: /orders     # no strip', [
      '',
      '    -   path: /api/billing',
      '        service: user',
      '        stripPath: true',
      '        upstreamPath: /users',
      '        auth: none',
    ]);
    expect(lintErrors(out)).toEqual([]);
  });

  it('add operation to a flow-style service: the entry goes inside its braces (the one line changes, nothing else)', () => {
    const out = add(odd, { kind: 'operation', service: 'order', name: 'getOrder', http: 'GET /orders/{id}', responses: [['200', 'empty']] });
    const { removed, added } = lineChanges(odd, out);
    expect(removed).toEqual([expect.stringMatching(/^ {4}order: \{ port: 8002/)]);
    expect(added).toEqual([removed[0].replace(/ \} \} \}$/, ' }, getOrder: { http: "GET /orders/{id}", responses: { 200: empty } } } }')]);
    expect(lintErrors(out)).toEqual([]);
  });

  it('keeps CRLF line endings and adds CRLF lines', () => {
    const crlf = odd.replace(/\n/g, '\r\n');
    const out = add(crlf, { kind: 'service', name: 'billing', port: 8005, database: 'redis' });
    expectOnlyAdded(crlf, out, '        # a stray comment under order', ['', '    billing:', '        port: 8005', '        database: redis']);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    const route = add(crlf, { kind: 'route', path: '/api/x', service: 'user' });
    // Without --upstream-path, a route that reaches user's operations (GET /users/{id}).
    expectOnlyAdded(crlf, route, '        upstreamPath: /orders     # no strip', ['', '    -   path: /api/x', '        service: user', '        stripPath: true', '        upstreamPath: /users']);
  });

  it('several edits in a row each add only their lines', () => {
    let text = odd;
    const steps: AddInput[] = [
      { kind: 'service', name: 'billing', database: 'postgres' },
      { kind: 'operation', service: 'billing', name: 'charge', http: 'POST /charges', body: [['amount', 'number']], responses: [['201', 'empty']] },
      { kind: 'event', name: 'billing.charged', fields: [['amount', 'number']] },
      { kind: 'route', path: '/api/charges', service: 'billing', stripPath: true, upstreamPath: '/charges', auth: 'none' },
    ];
    for (const step of steps) {
      const next = add(text, step);
      expect(lineChanges(text, next).removed).toEqual([]);
      expect(lintErrors(next)).toEqual([]);
      text = next;
    }
    expect(text).toContain('        operations:\n            charge:\n                http: POST /charges\n                body: { amount: number }\n                responses: { 201: empty }\n');
  });
});

describe('bare.yaml: no services, events or gateway yet', () => {
  const bare = fixture('bare.yaml');

  it('add service creates the services block at the end', () => {
    const out = add(bare, { kind: 'service', name: 'api' });
    expectOnlyAdded(bare, out, 'description: "Nothing yet"', ['services:', '  api:', '    port: 8001', '    database: none']);
    expect(lintErrors(out)).toEqual([]);
  });

  it('add event creates events after services; add route creates gateway.routes; add operation creates operations', () => {
    const withService = add(bare, { kind: 'service', name: 'api', port: 8001 });
    const withEvent = add(withService, { kind: 'event', name: 'api.pinged', fields: [['at', 'date-time']] });
    expectOnlyAdded(withService, withEvent, '    database: none', ['events:', '  api.pinged:', '    payload: { at: date-time }']);
    const withRoute = add(withEvent, { kind: 'route', path: '/api', service: 'api', auth: 'none' });
    expectOnlyAdded(withEvent, withRoute, '    payload: { at: date-time }', ['gateway:', '  routes:', '    - path: /api', '      service: api', '      auth: none']);
    const withOp = add(withRoute, { kind: 'operation', service: 'api', name: 'ping', http: 'GET /ping', responses: [['200', 'empty']] });
    expectOnlyAdded(withRoute, withOp, '    database: none', ['    operations:', '      ping:', '        http: GET /ping', '        responses: { 200: empty }']);
    expect(lintErrors(withOp)).toEqual([]);
  });

  it('a new top-level block goes in schema order: events before an existing gateway', () => {
    const text = `${bare}services:\n  api: { port: 8001 }\n\ngateway:\n  kind: node\n`;
    const out = add(text, { kind: 'event', name: 'api.pinged', fields: [['at', 'date-time']] });
    expectOnlyAdded(text, out, '  api: { port: 8001 }', ['events:', '  api.pinged:', '    payload: { at: date-time }']);
  });

  it('a key that goes first in its map is put above the comment lines of the key it precedes', () => {
    const text = `${bare}services:\n  api:\n    # what it announces\n    publishes: [api.pinged]\nevents:\n  api.pinged:\n    payload: { at: date-time }\n`;
    const out = add(text, { kind: 'operation', service: 'api', name: 'ping', http: 'POST /ping' });
    expectOnlyAdded(text, out, '  api:', ['    operations:', '      ping:', '        http: POST /ping']);
    expect(lintErrors(out)).toEqual([]);
  });

  it('operations go before publishes in a service (schema order), not after it', () => {
    const text = `${bare}services:\n  api:\n    port: 8001\n    publishes: [api.pinged]\nevents:\n  api.pinged:\n    payload: { at: date-time }\n`;
    const out = add(text, { kind: 'operation', service: 'api', name: 'ping', http: 'POST /ping' });
    expectOnlyAdded(text, out, '    port: 8001', ['    operations:', '      ping:', '        http: POST /ping']);
  });
});

describe('eof.yaml: the services map ends the file, without a final newline', () => {
  const eof = fixture('eof.yaml');

  it('adds the service after the last line (which gains its newline, nothing else changes)', () => {
    expect(eof.endsWith('\n')).toBe(false);
    const out = add(eof, { kind: 'service', name: 'worker' });
    expect(out).toBe(`${eof}\n  worker:\n    port: 8002\n    database: none\n`);
    const { removed, added } = lineChanges(eof, out);
    expect(removed).toEqual([]);
    expect(added).toEqual(['  worker:', '    port: 8002', '    database: none', '']);
    expect(lintErrors(out)).toEqual([]);
  });
});

describe('insertEntry edge cases', () => {
  it('fills a key with no value, below comment lines indented under it', () => {
    const text = 'microgen: 1\nname: x\nservices:\n  # add services here\n\nevents: {}\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['services'], key: 'api', value: new Map([['port', 8001]]) });
    expect(out).toBe('microgen: 1\nname: x\nservices:\n  # add services here\n  api:\n    port: 8001\n\nevents: {}\n');
  });

  it('an explicit null gives way to the content (that one line loses its `~`)', () => {
    const text = 'services: ~  # none yet\nevents: {}\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['services'], key: 'api', value: new Map([['port', 8001]]) });
    expect(out).toBe('services:   # none yet\n  api:\n    port: 8001\nevents: {}\n');
  });

  it('an empty list key receives its first item', () => {
    const text = 'gateway:\n  kind: node\n  routes:\nservices: {}\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['gateway', 'routes'], value: new Map([['path', '/a'], ['service', 'a']]) });
    expect(out).toBe('gateway:\n  kind: node\n  routes:\n    - path: /a\n      service: a\nservices: {}\n');
  });

  it('adds into an empty flow map on its line', () => {
    const text = 'microgen: 1\nname: x\nservices: {}   # none yet\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['services'], key: 'api', value: new Map([['port', 8001]]) });
    expect(out).toBe('microgen: 1\nname: x\nservices: { api: { port: 8001 } }   # none yet\n');
  });

  it('appends to a flow list', () => {
    const text = 'gateway:\n  routes: [ { path: /a, service: a } ]\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['gateway', 'routes'], value: new Map([['path', '/b'], ['service', 'b']]) });
    expect(out).toBe('gateway:\n  routes: [ { path: /a, service: a }, { path: /b, service: b } ]\n');
  });

  it('quotes what YAML needs quoted, and writes flow values as asked', () => {
    const text = 'a:\n  b: 1\n';
    const out = insertEntry(text, sourceOf(text).doc, { path: ['a'], key: 'c', value: new Map<string, never>([['http', 'GET /x/{id}' as never], ['t', new Flow(new Map([['k', 'a: b']])) as never]]) });
    expect(out).toBe('a:\n  b: 1\n  c:\n    http: GET /x/{id}\n    t: { k: "a: b" }\n');
  });

  it('refuses to add under a scalar', () => {
    const text = 'services: 3\n';
    expect(() => insertEntry(text, sourceOf(text).doc, { path: ['services'], key: 'api', value: 1 })).toThrow(EditError);
  });
});
