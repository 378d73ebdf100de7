/**
 * Debian's docker-compose 1.29 reads every generated compose file offline: `config -q` merges
 * docker-compose.yml and docker-compose.override.yml, interpolates `.env` (made from
 * `.env.example`), checks that build contexts exist and that `depends_on` names services. No
 * Docker engine is needed, and none runs here. (Python starts slowly, so this is not in `fast`.)
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyEnvExample, envKeys, generateSpec, SPECS } from '../deploy/helpers.js';

const run = promisify(execFile);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

/** `docker-compose config` in `dir` with nothing from this process's environment but PATH. */
async function composeConfig(dir: string, args: string[] = ['-q']): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('docker-compose', ['config', ...args], { cwd: dir, env, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('docker-compose 1.29', () => {
  const dirs = new Map<string, string>();

  beforeAll(async () => {
    for (const name of Object.keys(SPECS)) dirs.set(name, await generateSpec(name));
  }, 120_000);

  it('is installed (scripts/start-services.sh --install installs it)', () => {
    const version = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
    expect(version.status, 'docker-compose is missing: apt-get install -y docker-compose').toBe(0);
    expect(version.stdout).toMatch(/^1\.29\./);
  });

  it('accepts the compose files of every spec, with the override file and the .env that .env.example makes', async () => {
    for (const dir of dirs.values()) copyEnvExample(dir);
    const results = await Promise.all([...dirs].map(async ([name, dir]) => ({ name, ...(await composeConfig(dir)) })));
    for (const r of results) expect({ name: r.name, code: r.code, stderr: r.stderr }).toEqual({ name: r.name, code: 0, stderr: '' });
  }, 60_000);

  it('takes every secret from .env: the values it interpolates are the ones .env holds', async () => {
    const dir = dirs.get('node-gateway')!;
    copyEnvExample(dir, (name) => `from-dotenv-${name.toLowerCase().replace(/_/g, '-')}`);
    const resolved = await composeConfig(dir);
    expect(resolved.code).toBe(0);
    const config = parse((await composeConfig(dir, [])).stdout) as { services: Record<string, { environment?: Record<string, string> }> };
    expect(config.services.stock.environment?.DATABASE_URL).toBe('postgres://microgen:from-dotenv-postgres-password@stock-db:5432/stock');
    expect(config.services.gateway.environment?.DEPOT_TOKEN_SECRET).toBe('from-dotenv-depot-token-secret');
    expect(config.services.gateway.environment?.GATEWAY_REDIS_URL).toBe('redis://:from-dotenv-redis-password@gateway-redis:6379/0');
    // …and refuses to start without them.
    const keys = envKeys(readFileSync(join(dir, '.env'), 'utf8'));
    writeFileSync(join(dir, '.env'), [...keys].filter(([k]) => k !== 'POSTGRES_PASSWORD').map(([k, v]) => `${k}=${v}`).join('\n'));
    const missing = await composeConfig(dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('set POSTGRES_PASSWORD in .env, see .env.example');
  }, 60_000);

  it('renders Kong’s configuration as decK is asked to: the secret from .env, in base64', async () => {
    const dir = dirs.get('shop')!;
    const secret = 'a secret, with "quotes" and $dollars';
    copyEnvExample(dir, (name) => (name === 'JWT_SECRET' ? `'${secret}'` : undefined));
    const config = parse((await composeConfig(dir, [])).stdout) as { services: Record<string, { entrypoint: string[]; command: string[]; environment: Record<string, string> }> };
    const render = config.services['gateway-config'];
    expect(render.entrypoint).toEqual(['/bin/sh', '-c']);
    // A stand-in for decK, which records what it was given; the container's paths moved here.
    const work = mkdtempSync(join(tmpdir(), 'kong-render-'));
    mkdirSync(join(work, 'bin'));
    writeFileSync(join(work, 'bin/deck'), '#!/bin/sh\nout=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done\nprintf %s "$DECK_JWT_SECRET" > "$out"; chmod 600 "$out"\n');
    chmodSync(join(work, 'bin/deck'), 0o755);
    // `config` prints `$` escaped as `$$`, in the command and in the values from .env; the
    // container gets `$`.
    const unescape = (text: string) => text.replaceAll('$$', '$');
    const script = unescape(render.command[0]).replaceAll('/kong-template/', `${work}/template/`).replaceAll('/kong/', `${work}/`);
    const environment = Object.fromEntries(Object.entries(render.environment).map(([k, v]) => [k, unescape(v)]));
    const ran = spawnSync('/bin/sh', ['-c', script], { env: { ...environment, PATH: `${join(work, 'bin')}:${env.PATH}` }, encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(readFileSync(join(work, 'kong.yml'), 'utf8')).toBe(Buffer.from(secret).toString('base64'));
    // Kong runs as another user than decK: the rendered file is readable by all.
    expect(statSync(join(work, 'kong.yml')).mode & 0o777).toBe(0o644);
  }, 60_000);

  it('rejects a dependency on a service that does not exist', async () => {
    const dir = dirs.get('minimal')!;
    copyEnvExample(dir);
    const doc = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Record<string, unknown>> };
    doc.services.greeter.depends_on = { nowhere: { condition: 'service_healthy' } };
    writeFileSync(join(dir, 'docker-compose.yml'), JSON.stringify(doc));
    const r = await composeConfig(dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('nowhere');
  }, 60_000);
});
