/**
 * The generated Dockerfiles' stages, carried out outside Docker (tests/helpers/dockerfile.ts):
 * the shop's user service image, and the shop in monolith mode, whose image is the whole system
 * as one process. The final stage runs as written (`npm ci -w … --omit=dev --omit=optional`
 * from the lockfile, in a folder holding only what the Dockerfile copies), then the process
 * starts from that layout with the image's command, answers (the monolith also through the Node
 * gateway it runs), reports its health through the image's HEALTHCHECK and stops on SIGTERM.
 *
 * Two things differ from Docker, and say so: the build stage's `npm ci` runs as `--dry-run` (it
 * still checks the lockfile against the package.json files the stage copied) and compiles with
 * the shared install of the e2e tests, so that only the final stages install for real; and
 * processes listen on 127.0.0.1 (HOST), as every test server here does, not the image's 0.0.0.0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkInstall, linkModules } from '../../scripts/shared-install.js';
import { npmShim, parseDockerfile, runStage, type StageResult } from '../helpers/dockerfile.js';
import { runCli } from '../helpers/io.js';
import { freePort, portAnswers, waitFor } from '../helpers/service-process.js';
import { ROOT, workDir } from '../helpers/system.js';

const USER_HANDLERS = `import { OperationHandlers } from '../generated/operations.js';
import type * as Op from '../generated/operations.js';

export class Operations extends OperationHandlers {
  override async createUser(request: Op.CreateUserRequest): Promise<Op.CreateUserReply> {
    await this.ctx.db.query('CREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL)');
    const { rows } = await this.ctx.db.query<{ id: number }>('INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id', [request.body.name, request.body.email]);
    return { status: 201, body: { id: rows[0].id, ...request.body } };
  }

  override async getUser(): Promise<Op.GetUserReply> {
    return { status: 404, body: { error: 'not_found', message: 'no such user' } };
  }
}
`;

const POSTGRES = 'postgres://microgen:microgen@127.0.0.1:5432';
const REDIS = 'redis://127.0.0.1:6379/0';
/** A unique database per run: the service creates it at its first start. */
const database = (what: string) => `${POSTGRES}/deploy_${what}_${process.pid}_${Date.now().toString(36)}`;

/**
 * The shop (with a real user handler) in `mode`, with the lockfile `npm install` made for it.
 * `node` puts the Node gateway in front instead of Kong: the package.json files stay the same.
 */
async function shopIn(mode: 'services' | 'monolith', gateway: 'kong' | 'node' = 'kong'): Promise<{ dir: string; install: string }> {
  const dir = workDir(`image-${mode}`);
  let spec = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8');
  if (mode === 'monolith') spec = spec.replace(/^deploy:\n/m, 'deploy:\n  mode: monolith\n');
  if (gateway === 'node') spec = spec.replace(/^  kind: kong$/m, '  kind: node');
  writeFileSync(join(dir, 'microgen.yaml'), spec);
  const run = await runCli(['generate', join(dir, 'microgen.yaml')]);
  if (run.code !== 0) throw new Error(run.stderr);
  writeFileSync(join(dir, 'services/user/src/handlers/operations.ts'), USER_HANDLERS);
  // The shared install is `npm install` with exactly these package.json files: its lockfile is
  // the one a user commits after their first install.
  const install = linkInstall(dir);
  copyFileSync(join(install, 'package-lock.json'), join(dir, 'package-lock.json'));
  return { dir, install };
}

/**
 * Both stages of the Dockerfile at `dockerfile`. The build stage checks its install with
 * `--dry-run`, then gets the packages of the shared install laid out as npm would (its own
 * workspace packages linked to its own folders); the final stage installs for real.
 */
function buildImage({ dir, install }: { dir: string; install: string }, dockerfile: string): StageResult {
  const [build, final] = parseDockerfile(readFileSync(join(dir, dockerfile), 'utf8'));
  expect(build.name).toBe('build');
  const shim = npmShim();
  const env = { PATH: `${shim}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/root' };
  const built = runStage(build, {
    context: dir,
    env,
    rewrite: (command) => (command.startsWith('npm ci') ? `${command} --dry-run` : command),
    afterRun: (command, cwd) => {
      if (command.startsWith('npm ci')) linkModules(cwd, join(install, 'node_modules'));
    },
  });
  return runStage(final, { context: dir, env, stages: { build: built } });
}

interface Running {
  readonly child: ChildProcess;
  output(): string;
  readonly exit: Promise<number | null>;
}

function start(image: StageResult, env: Record<string, string>): Running {
  const [command, ...args] = image.cmd!;
  expect(command).toBe('node');
  const child = spawn(process.execPath, args, { cwd: image.workdir, env: { PATH: process.env.PATH ?? '', ...image.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

/** The image's HEALTHCHECK command, run in the container's environment: its exit code. */
function healthcheck(image: StageResult, env: Record<string, string>): number | null {
  const [command, ...args] = image.healthcheck!;
  expect(command).toBe('node');
  return spawnSync(process.execPath, args, { cwd: image.workdir, env: { ...image.env, ...env }, timeout: 10_000 }).status;
}

/** The packages a production install holds (names, scoped ones as `@scope/name`). */
function installed(root: string): string[] {
  const modules = join(root, 'app/node_modules');
  return readdirSync(modules).flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : n.startsWith('.') ? [] : [n]));
}

/** An HS256 JWT, as any issuer holding the secret would sign it. */
function hs256(payload: object, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function createUser(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }) });
  return { status: res.status, body: (await res.json()) as { id: number; name: string } };
}

describe('the image of a service (services/user/Dockerfile)', () => {
  let image: StageResult;
  let running: Running | undefined;
  afterAll(() => running?.child.kill('SIGKILL'));

  beforeAll(async () => {
    image = buildImage(await shopIn('services'), 'services/user/Dockerfile');
  }, 600_000);

  it('holds the production dependencies of the service only, and the built code', () => {
    const packages = installed(image.root);
    expect(packages).toEqual(expect.arrayContaining(['@microgen/runtime', '@shop/user', 'fastify', 'pg', 'pino']));
    for (const absent of ['typescript', '@types/node', '@types/pg', '@electric-sql/pglite', 'mongodb', 'ioredis', '@shop/order']) expect(packages).not.toContain(absent);
    expect(existsSync(join(image.root, 'app/services/user/dist/main.js'))).toBe(true);
    expect(existsSync(join(image.root, 'app/packages/runtime/dist/index.js'))).toBe(true);
    // Only what the Dockerfile copies: no sources, no other service.
    expect(existsSync(join(image.root, 'app/services/user/src'))).toBe(false);
    expect(existsSync(join(image.root, 'app/services/order'))).toBe(false);
    expect(image).toMatchObject({ user: 'node', workdir: join(image.root, 'app/services/user'), env: { NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8001' }, expose: [8001] });
  });

  it('starts from that layout, serves a request against PostgreSQL, is healthy, and stops on SIGTERM', async () => {
    const env = { PORT: String(await freePort()), DATABASE_URL: database('user') };
    running = start(image, env);
    await waitFor(async () => ((await portAnswers('127.0.0.1', Number(env.PORT))) ? true : undefined), 30_000, `user to listen:\n${running.output()}`);
    const created = await createUser(Number(env.PORT));
    expect(created).toEqual({ status: 201, body: { id: expect.any(Number), name: 'Ada', email: 'ada@example.com' } });
    expect(healthcheck(image, env)).toBe(0);
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
    expect(healthcheck(image, env)).toBe(1);
  }, 60_000);
});

describe('the monolith (system/Dockerfile, deploy.mode: monolith)', () => {
  let image: StageResult;
  let running: Running | undefined;
  afterAll(() => running?.child.kill('SIGKILL'));

  beforeAll(async () => {
    const shop = await shopIn('monolith');
    expect(existsSync(join(shop.dir, 'services/user/Dockerfile'))).toBe(false);
    image = buildImage(shop, 'system/Dockerfile');
  }, 600_000);

  it('holds every service and what each needs, without development packages', () => {
    const packages = installed(image.root);
    expect(packages).toEqual(expect.arrayContaining(['@shop/system', '@shop/user', '@shop/order', '@shop/product', '@shop/gateway', 'pg', 'mongodb', 'ioredis', 'jose']));
    for (const absent of ['typescript', '@types/pg', '@electric-sql/pglite']) expect(packages).not.toContain(absent);
    expect(image.expose).toEqual([8001, 8003, 8002, 8004, 8005, 8006]);
    expect(image.workdir).toBe(join(image.root, 'app/system'));
  });

  it('runs the shop as one process: every service answers on its port and through the gateway, the image’s health check sees them all', async () => {
    const services = ['user', 'product', 'order', 'inventory', 'payment', 'notification'];
    const ports = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await freePort()] as const)));
    // One process reads one environment: each service's settings carry its prefix.
    const env: Record<string, string> = {
      ...Object.fromEntries(services.map((s) => [`${s.toUpperCase()}_PORT`, String(ports[s])])),
      // The Node gateway runs in the process too (Kong would be in front of it in production).
      GATEWAY_PORT: String(await freePort()),
      JWT_SECRET: 'a-test-secret-of-at-least-thirty-two-bytes',
      USER_DATABASE_URL: database('user'),
      INVENTORY_DATABASE_URL: database('inventory'),
      PAYMENT_DATABASE_URL: database('payment'),
      PRODUCT_DATABASE_URL: REDIS,
      // No MongoDB runs here: order starts anyway, and reports its database down.
      ORDER_DATABASE_URL: 'mongodb://127.0.0.1:9/order?serverSelectionTimeoutMS=500',
    };
    running = start(image, env);
    await waitFor(() => (running!.output().includes('shop is running') ? true : undefined), 60_000, `the shop to start:\n${running.output()}`);
    expect(running.child.exitCode).toBeNull();
    const created = await createUser(ports.user);
    expect(created.status).toBe(201);
    // …and through the Node gateway in the same process, with a token signed with its secret.
    const viaGateway = (token?: string) =>
      fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ name: 'Grace', email: 'grace@example.com' }),
      });
    expect((await viaGateway()).status).toBe(401);
    const routed = await viaGateway(hs256({ sub: 'tester', exp: Math.floor(Date.now() / 1000) + 60 }, env.JWT_SECRET));
    expect({ status: routed.status, body: await routed.json() }).toEqual({ status: 201, body: { id: expect.any(Number), name: 'Grace', email: 'grace@example.com' } });
    const health = Object.fromEntries(await Promise.all(services.map(async (s) => [s, (await fetch(`http://127.0.0.1:${ports[s]}/health`)).status] as const)));
    expect(health).toEqual({ user: 200, product: 200, order: 503, inventory: 200, payment: 200, notification: 200 });
    // The monolith is ready only when every service is: order's database is down.
    expect(healthcheck(image, env)).toBe(1);
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
    for (const s of services) expect(await portAnswers('127.0.0.1', ports[s])).toBe(false);
  }, 90_000);
});

describe('every Dockerfile of the shop with the Node gateway (services/*/Dockerfile, gateway/Dockerfile)', () => {
  it('installs, from the lockfile and the package.json files it copies, what its package needs at run time and nothing else', async () => {
    const { dir } = await shopIn('services', 'node');
    const shim = npmShim();
    const env = { PATH: `${shim}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/root' };
    const expected: Record<string, string[]> = {
      'services/user': ['pg', 'fastify', 'pino'],
      'services/product': ['ioredis'],
      'services/order': ['mongodb', 'cockatiel'],
      'services/inventory': ['pg'],
      'services/payment': ['pg'],
      'services/notification': ['fastify'],
      gateway: ['jose', '@fastify/reply-from', '@fastify/rate-limit'],
    };
    for (const [pkg, needs] of Object.entries(expected)) {
      const [, final] = parseDockerfile(readFileSync(join(dir, pkg, 'Dockerfile'), 'utf8'));
      // The final stage up to its install, which runs as --dry-run: it still checks the lockfile
      // against the package.json files copied, and lists what it would add.
      const upToInstall = { ...final, instructions: final.instructions.slice(0, final.instructions.findIndex((i) => i.op === 'RUN') + 1) };
      let added = '';
      runStage(upToInstall, {
        context: dir,
        env,
        rewrite: (command) => command.replace(/^npm ci (.*?) && npm cache clean --force$/, 'npm ci $1 --dry-run'),
        afterRun: (_command, _cwd, output) => (added = output),
      });
      const names = [...added.matchAll(/^add (\S+) /gm)].map((m) => m[1]);
      expect(names, pkg).toEqual(expect.arrayContaining(['@microgen/runtime', ...needs]));
      for (const dev of ['typescript', '@types/node', '@types/pg', '@electric-sql/pglite']) expect(names, `${pkg}: ${dev}`).not.toContain(dev);
    }
  }, 300_000);
});
