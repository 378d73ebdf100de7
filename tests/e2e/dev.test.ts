/**
 * `microgen dev` on the shop, as a user runs it: the built CLI as a process in the folder that
 * holds the spec and the system. It generates, builds, runs every service in one process with an
 * embedded PostgreSQL per PostgreSQL service and the gateway in front, prints one start-up summary, and on Ctrl-C (SIGINT)
 * stops everything and exits 0, leaving no process behind. Ports come from <SERVICE>_PORT, so
 * the test never collides with anything on the spec's ports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstall } from '../../scripts/shared-install.js';
import { runCli } from '../helpers/io.js';
import { freePort, portAnswers, waitFor } from '../helpers/service-process.js';
import { ROOT, workDir } from '../helpers/system.js';

const USER_HANDLERS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  private ready: Promise<unknown> | undefined;

  private table() {
    return (this.ready ??= this.ctx.db.query('CREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL)'));
  }

  override async createUser(request: Op.CreateUserRequest): Promise<Op.CreateUserReply> {
    await this.table();
    // The row and the event commit together (the event goes through the outbox).
    const id = await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>('INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id', [request.body.name, request.body.email]);
      await this.ctx.publish('user.registered', { userId: rows[0].id, email: request.body.email });
      return rows[0].id;
    });
    return { status: 201, body: { id, ...request.body } };
  }

  override async getUser(request: Op.GetUserRequest): Promise<Op.GetUserReply> {
    await this.table();
    const { rows } = await this.ctx.db.query<{ id: number; name: string; email: string }>('SELECT id, name, email FROM users WHERE id = $1', [request.params.id]);
    return rows[0] ? { status: 200, body: rows[0] } : { status: 404, body: { error: 'not_found', message: 'no such user' } };
  }
}
`;

const NOTIFICATION_HANDLERS = `import { EventHandlers } from '../generated/events.js';
import type * as Ev from '../generated/events.js';

export class Events extends EventHandlers {
  override async onOrderEvent(message: Ev.OnOrderEventMessage): Promise<void> {
    this.ctx.logger.info({ event: message.name }, 'order event');
  }

  override async sendWelcome(message: Ev.SendWelcomeMessage): Promise<void> {
    this.ctx.logger.info(\`welcome sent to \${message.payload.email} (user \${message.payload.userId})\`);
  }

  override async onInventoryShipped(message: Ev.OnInventoryShippedMessage): Promise<void> {
    this.ctx.logger.info({ order: message.payload.orderId }, 'shipped');
  }
}
`;

interface Dev {
  readonly child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

function startDev(dir: string, env: Record<string, string>): Dev {
  const child = spawn(process.execPath, [join(ROOT, 'bin/microgen.js'), 'dev'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

describe('microgen dev on the shop', () => {
  let dir: string;
  const ports: Record<string, number> = {};
  let dev: Dev;

  beforeAll(async () => {
    dir = workDir('dev');
    copyFileSync(join(ROOT, 'examples/shop/microgen.yaml'), join(dir, 'microgen.yaml'));
    const generated = await runCli(['generate', join(dir, 'microgen.yaml')]);
    if (generated.code !== 0) throw new Error(generated.stderr);
    writeFileSync(join(dir, 'services/user/src/handlers/operations.ts'), USER_HANDLERS);
    writeFileSync(join(dir, 'services/notification/src/handlers/events.ts'), NOTIFICATION_HANDLERS);
    linkInstall(dir);
    for (const s of ['gateway', 'user', 'product', 'order', 'inventory', 'payment', 'notification']) ports[s] = await freePort();
    const env = Object.fromEntries(Object.entries(ports).map(([s, p]) => [`${s.toUpperCase()}_PORT`, String(p)]));
    dev = startDev(dir, env);
    await waitFor(() => (dev.output().includes('shop is running') ? true : undefined), 240_000, `microgen dev to start:\n${dev.output()}`);
  }, 600_000);

  afterAll(async () => {
    if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
  });

  it('prints one summary: each service, its URL and what backs its database', () => {
    const out = dev.output();
    expect(out).toMatch(/✓ shop is running \(ready in [\d.]+ s\)\. Ctrl-C stops it\./);
    expect(out).toContain('created .env from .env.example');
    expect(out).toMatch(new RegExp(`^  gateway +http://127\\.0\\.0\\.1:${ports.gateway}$`, 'm'));
    expect(out).toContain(`http://127.0.0.1:${ports.user}  embedded PostgreSQL in ${join(dir, '.microgen/dev/user')}`);
    expect(out).toMatch(/^ {2}events +in-process bus \(exchange events\)$/m);
    // order hosts place-order, kept in memory (its database is MongoDB): it says so once at start.
    expect(out).toMatch(/order +http:\/\/127\.0\.0\.1:\d+ {2}MongoDB at 127\.0\.0\.1:27017\/order — not reachable: start it, or set ORDER_DATABASE_URL, saga place-order \(3 steps\)$/m);
    expect(out.match(/order +│ warn order keeps its sagas \(place-order\) in memory: a restart forgets the sagas running then/g)).toHaveLength(1);
    expect(out).toContain('first run: creating the embedded PostgreSQL of user, inventory, payment in .microgen/dev/');
    // Service log lines are prefixed with the service's name.
    expect(out).toMatch(/^product +│ database connected$/m);
  });

  it('serves a request through the gateway that stores a row in the embedded PostgreSQL and publishes an event its subscriber receives', async () => {
    // The token the generated `npm run token` prints, signed with the development secret in .env.
    const token = execFileSync(process.execPath, ['gateway/dist/generated/token.js'], { cwd: dir, encoding: 'utf8' }).trim();
    const anonymous = await fetch(`http://127.0.0.1:${ports.gateway}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    const created = await fetch(`http://127.0.0.1:${ports.gateway}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const read = await fetch(`http://127.0.0.1:${ports.gateway}/api/users/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await read.json()).toEqual({ id, name: 'Ada', email: 'ada@example.com' });
    expect(existsSync(join(dir, '.microgen/dev/user/PG_VERSION'))).toBe(true);
    await waitFor(() => (dev.output().includes(`POST /users → 201`) ? true : undefined), 5_000, 'the request in the log');
    // The in-process bus delivered user.registered to notification's handler.
    await waitFor(() => (dev.output().match(new RegExp(`^notification +│ welcome sent to ada@example\\.com \\(user ${id}\\)$`, 'm')) ? true : undefined), 10_000, `the event at its subscriber:\n${dev.output()}`);
  });

  it('restarts with the new code when a handler is saved, and regenerates when the spec is saved', async () => {
    const products = `http://127.0.0.1:${ports.gateway}/api/products`;
    expect((await fetch(products)).status).toBe(501);
    const handlers = join(dir, 'services/product/src/handlers/operations.ts');
    const before = dev.output().length;
    writeFileSync(
      handlers,
      readFileSync(handlers, 'utf8').replace("throw new NotImplemented('listProducts');", "return { status: 200, body: [{ id: 'tea', name: 'Tea', price: 3 }] };"),
    );
    await waitFor(() => (dev.output().slice(before).includes('↻ restarted') ? true : undefined), 120_000, `a restart after the handler changed:\n${dev.output().slice(before)}`);
    expect(dev.output().slice(before)).toContain('services/product/src/handlers/operations.ts changed: rebuilding');
    const listed = await waitFor(async () => {
      const r = await fetch(products).catch(() => undefined);
      return r?.status === 200 ? r.json() : undefined;
    }, 30_000, 'the new handler to answer');
    expect(listed).toEqual([{ id: 'tea', name: 'Tea', price: 3 }]);

    // A new operation in the spec: regenerated (a stub that answers 501), rebuilt and served.
    const again = dev.output().length;
    const spec = join(dir, 'microgen.yaml');
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        '      listProducts:\n',
        '      countProducts:\n        http: GET /products-count\n        responses: { 200: integer }\n      listProducts:\n',
      ),
    );
    await waitFor(() => (dev.output().slice(again).includes('↻ restarted') ? true : undefined), 180_000, `a restart after the spec changed:\n${dev.output().slice(again)}`);
    expect(dev.output().slice(again)).toContain('the spec changed: regenerating');
    expect(readFileSync(handlers, 'utf8')).toContain('countProducts(');
    const counted = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${ports.product}/products-count`).catch(() => undefined);
      return r && r.status !== 404 ? r : undefined;
    }, 30_000, 'the new route to be served');
    expect(counted.status).toBe(501);
    expect(await counted.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  }, 360_000);

  it('stops everything on Ctrl-C and exits 0, leaving no process listening', async () => {
    dev.child.kill('SIGINT');
    expect(await dev.exit).toBe(0);
    for (const port of Object.values(ports)) expect(await portAnswers('127.0.0.1', port)).toBe(false);
  }, 30_000);

  it('says in one line why the system cannot start, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.payment, '127.0.0.1', resolve));
    try {
      const env = Object.fromEntries(Object.entries(ports).map(([s, p]) => [`${s.toUpperCase()}_PORT`, String(p)]));
      const failed = startDev(dir, env);
      expect(await failed.exit).toBe(1);
      expect(failed.output()).toContain(`error: shop could not start: payment cannot listen on 127.0.0.1:${ports.payment}: the port is already in use`);
      expect(failed.output()).not.toMatch(/\n\s+at /);
      for (const [service, port] of Object.entries(ports)) if (service !== 'payment') expect(await portAnswers('127.0.0.1', port)).toBe(false);
    } finally {
      blocker.close();
    }
  }, 120_000);
});
