import { describe, expect, it } from 'vitest';
import { paintFor, plain } from '../../src/util/paint.js';
import { DevLogFormatter } from '../../src/dev/logs.js';

const json = (o: object) => JSON.stringify(o);

describe('dev logs', () => {
  it('prefixes each service, shows a request as one line when it completes, and the level when not info', () => {
    const f = new DevLogFormatter(plain, 7);
    expect(f.format(json({ level: 30, name: 'user', msg: 'database connected' }))).toBe('user    │ database connected');
    expect(f.format(json({ level: 30, name: 'user', reqId: 'r1', req: { method: 'GET', url: '/users/7' }, msg: 'incoming request' }))).toBeUndefined();
    expect(f.format(json({ level: 30, name: 'user', reqId: 'r1', res: { statusCode: 404 }, responseTime: 2.4, msg: 'request completed' }))).toBe('user    │ GET /users/7 → 404 (2 ms)');
    expect(f.format(json({ level: 40, name: 'order', msg: 'circuit to user opened' }))).toBe('order   │ warn circuit to user opened');
    expect(f.format(json({ level: 50, name: 'order', msg: 'handler failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }))).toBe('order   │ error handler failed: boom\nError: boom\n    at x');
  });

  it('passes lines that are not JSON through under the fallback name, and drops empty ones', () => {
    const f = new DevLogFormatter(plain, 6);
    expect(f.format('node: warning', 'system')).toBe('system │ node: warning');
    expect(f.format('  ')).toBeUndefined();
  });

  it('colours each service differently on a terminal', () => {
    const f = new DevLogFormatter(paintFor({ isTTY: true }, {}), 5);
    const a = f.format(json({ name: 'user', msg: 'x' }))!;
    const b = f.format(json({ name: 'order', msg: 'x' }))!;
    expect(a).toContain('\x1b[36m');
    expect(b).toContain('\x1b[35m');
  });
});
