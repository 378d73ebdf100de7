/**
 * SPEC §2's routing rules as a table: which route a request path matches (longest prefix, on a
 * segment boundary, among the routes allowing the method) and the path the upstream receives
 * (`stripPath`, then `upstreamPath` in front, a legacy URL's own path first).
 */
import { describe, expect, it } from 'vitest';
import { BadPath, normalizePath, routeMatcher, upstreamPath, type Rewrite } from '../src/gateway/index.js';

describe('upstreamPath', () => {
  const cases: [string, Rewrite, string, string, string?][] = [
    // [what, route, request path, forwarded path, base URL path]
    ['SPEC §2: strip, then upstreamPath in front', { path: '/api/users', stripPath: true, upstreamPath: '/users' }, '/api/users/7', '/users/7'],
    ['the exact prefix, stripped, is the upstreamPath', { path: '/api/users', stripPath: true, upstreamPath: '/users' }, '/api/users', '/users'],
    ['a trailing slash the client sent stays', { path: '/api/users', stripPath: true, upstreamPath: '/users' }, '/api/users/', '/users/'],
    ['strip to the root', { path: '/api/users', stripPath: true, upstreamPath: '/' }, '/api/users/7', '/7'],
    ['strip everything: the root', { path: '/api/users', stripPath: true, upstreamPath: '/' }, '/api/users', '/'],
    ['no strip: the path as sent', { path: '/api/users', stripPath: false, upstreamPath: '/' }, '/api/users/7', '/api/users/7'],
    ['no strip, under an upstreamPath', { path: '/api/users', stripPath: false, upstreamPath: '/v1' }, '/api/users/7', '/v1/api/users/7'],
    ['an upstreamPath with a trailing slash', { path: '/api', stripPath: true, upstreamPath: '/v1/' }, '/api/a', '/v1/a'],
    ['an upstreamPath with a trailing slash, exact prefix', { path: '/api', stripPath: true, upstreamPath: '/v1/' }, '/api', '/v1/'],
    ['the route / stripped changes nothing', { path: '/', stripPath: true, upstreamPath: '/' }, '/a/b', '/a/b'],
    ['the route / under an upstreamPath', { path: '/', stripPath: true, upstreamPath: '/legacy' }, '/a/b', '/legacy/a/b'],
    ['a legacy URL path goes first', { path: '/shop', stripPath: true, upstreamPath: '/v2' }, '/shop/cart', '/app/v2/cart', '/app'],
    ['a legacy URL path with a trailing slash', { path: '/shop', stripPath: true, upstreamPath: '/' }, '/shop/cart', '/app/cart', '/app/'],
    ['a legacy URL path, the prefix exactly', { path: '/shop', stripPath: true, upstreamPath: '/' }, '/shop', '/app', '/app'],
    ['a legacy URL path, no strip', { path: '/shop', stripPath: false, upstreamPath: '/' }, '/shop/cart', '/app/shop/cart', '/app'],
    ['upstreamPath defaults to /', { path: '/api', stripPath: true }, '/api/x', '/x'],
  ];
  it.each(cases)('%s', (_what, route, path, forwarded, base) => {
    expect(upstreamPath(route, path, base)).toBe(forwarded);
  });
});

describe('routeMatcher', () => {
  const routes = [
    { name: 'users', path: '/api/users' },
    { name: 'users-get', path: '/api/users/me', methods: ['GET' as const] },
    { name: 'api', path: '/api' },
    { name: 'orders-write', path: '/api/orders', methods: ['POST' as const, 'PUT' as const] },
    { name: 'orders-read', path: '/api/orders', methods: ['GET' as const] },
    { name: 'trailing', path: '/files/' },
  ];
  const match = routeMatcher(routes);
  it.each([
    ['GET', '/api/users', 'users'],
    ['GET', '/api/users/7', 'users'],
    ['GET', '/api/usersx', 'api'],
    ['GET', '/api', 'api'],
    ['GET', '/api/', 'api'],
    ['GET', '/apix', undefined],
    ['GET', '/', undefined],
    ['GET', '/api/users/me', 'users-get'],
    ['DELETE', '/api/users/me', 'users'],
    ['POST', '/api/orders/1', 'orders-write'],
    ['GET', '/api/orders/1', 'orders-read'],
    ['DELETE', '/api/orders/1', 'api'],
    ['GET', '/files', 'trailing'],
    ['GET', '/files/a.txt', 'trailing'],
  ])('%s %s → %s', (method, path, name) => {
    expect(match(method, path)?.name).toBe(name);
  });

  it('matches everything under the route /', () => {
    const root = routeMatcher([{ path: '/' }, { path: '/api' }]);
    expect(root('GET', '/anything/at/all')?.path).toBe('/');
    expect(root('GET', '/')?.path).toBe('/');
    expect(root('GET', '/api/x')?.path).toBe('/api');
  });
});

describe('normalizePath', () => {
  it.each([
    ['/api/users', '/api/users'],
    ['/api/%75sers', '/api/users'],
    ['/api//users', '/api/users'],
    ['/api/a%2Fb', '/api/a%2Fb'],
    ['/api/a%2fb', '/api/a%2Fb'],
    ['/api/caf%C3%A9', '/api/caf%C3%A9'],
    ['/api/a.b', '/api/a.b'],
  ])('%s → %s', (path, normal) => {
    expect(normalizePath(path)).toBe(normal);
  });

  it.each([['/api/../admin'], ['/api/%2e%2e/admin'], ['/api/./x'], ['/api/%zz'], ['/api/%4'], ['api/users'], ['*']])('refuses %s', (path) => {
    expect(() => normalizePath(path)).toThrow(BadPath);
  });
});
