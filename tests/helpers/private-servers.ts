/**
 * Servers of a test's own: a test that stops or kills a server runs its own instance (own data
 * folder, own port), never the machine's shared one. Each instance listens on 127.0.0.1 only.
 *
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
 * (Debian's package creates it) and its commands run through `runuser`. Debian's RabbitMQ
 * wrappers run as the `rabbitmq` user whoever calls them (as root through `su`, keeping the
 * environment), so a private node's folders belong to that user, and `rabbitmqctl` reaches the
 * node with the same Erlang cookie (`/var/lib/rabbitmq/.erlang.cookie`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portAnswers, waitFor } from './service-process.js';

const PG_BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'].find((d) => existsSync(join(d, 'initdb')));

const asRoot = process.getuid?.() === 0;

function runPg(command: string, args: string[]): void {
  if (!PG_BIN) throw new Error('PostgreSQL server binaries are not installed (apt-get install -y postgresql)');
  const bin = join(PG_BIN, command);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe', timeout: 60_000 });
  else execFileSync(bin, args, { stdio: 'pipe', timeout: 60_000 });
}

export interface PrivateServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it (if running) and removes its data. */
  destroy(): Promise<void>;
}

/** A PostgreSQL cluster of its own: user `microgen`, password auth off, one `postgres` database. */
export async function privatePostgres(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'microgen-pg-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  runPg('initdb', ['-D', data, '-U', 'microgen', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const server: PrivateServer = {
    port,
    url: `postgres://microgen@127.0.0.1:${port}/postgres`,
    async start() {
      runPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      await waitFor(async () => ((await portAnswers('127.0.0.1', port)) ? true : undefined), 20_000, `PostgreSQL on ${port}`);
    },
    async stop() {
      runPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async destroy() {
      try {
        await server.stop();
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A Redis of its own, nothing persisted. */
export async function privateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor(async () => ((await portAnswers('127.0.0.1', port)) ? true : undefined), 10_000, `Redis on ${port}`);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    },
    destroy: () => server.stop(),
  };
  await server.start();
  return server;
}


/** A RabbitMQ node of its own (own name, ports and data), for tests that stop or restart the broker. */
export interface PrivateRabbit extends PrivateServer {
  readonly node: string;
}

function rabbitTool(command: string, args: string[], env: NodeJS.ProcessEnv, timeout = 60_000): void {
  execFileSync(command, args, { env, stdio: 'pipe', timeout });
}

export async function privateRabbitMQ(): Promise<PrivateRabbit> {
  const port = await freePort();
  const distPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'microgen-rabbit-'));
  const node = `microgen${port}@${hostname().split('.')[0]}`;
  // No plugins: the node starts in a few seconds.
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  if (asRoot) execFileSync('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
  };
  let running = false;
  const server: PrivateRabbit = {
    port,
    node,
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    async start() {
      rabbitTool('rabbitmq-server', ['-detached'], env);
      running = true;
      await waitFor(async () => ((await portAnswers('127.0.0.1', port)) ? true : undefined), 60_000, `RabbitMQ node ${node} on ${port}`);
    },
    async stop() {
      if (!running) return;
      // `shutdown` returns once the node has exited.
      rabbitTool('rabbitmqctl', ['-n', node, 'shutdown'], env);
      running = false;
    },
    async destroy() {
      try {
        await server.stop();
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
