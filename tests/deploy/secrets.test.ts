/**
 * A spec with secrets (the gateway's JWT secret, database passwords, the broker's) never puts a
 * value into a deployment file: compose interpolates them from `.env`, Kubernetes reads them from
 * the system's Secret by key, and the images hold none.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { baseObjects, envKeys, generatedSpec, KUBERNETES_SPECS, SPECS } from './helpers.js';

/** Every file a deployment reads, by path. */
function deployFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (name === 'node_modules' || name === '.microgen') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/^(Dockerfile|\.dockerignore|docker-compose.*\.yml)$/.test(name) || relative(dir, path).startsWith('k8s/')) out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** A URL with a password written into it (`postgres://user:pw@host`), unless the password is a `${VAR}`. */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:'"]*:(?!\$\{)[^\s@/'"]+@/i;
/** Names of settings that hold secrets, whatever part reads them. */
const SECRET_NAME = /(DATABASE_URL|BROKER_URL|REDIS_URL|SECRET|PASSWORD|PUBLIC_KEY)$/;

describe.each(Object.keys(SPECS))('the deployment files of %s', (name) => {
  let dir: string;
  let files: Map<string, string>;

  beforeAll(async () => {
    dir = await generatedSpec(name);
    files = deployFiles(dir);
  });

  it('hold no password in a URL, and none of the values .env.example suggests', () => {
    expect(files.size).toBeGreaterThan(2);
    const example = envKeys(readFileSync(join(dir, '.env.example'), 'utf8'));
    const values = [...example].filter(([k, v]) => SECRET_NAME.test(k) && v !== '').map(([, v]) => v);
    expect(values.length).toBeGreaterThan(0);
    for (const [path, text] of files) {
      expect(URL_WITH_PASSWORD.exec(text)?.[0], path).toBeUndefined();
      for (const v of values) expect(text.includes(v), `${path} holds ${v}`).toBe(false);
    }
  });

  it('compose takes each secret from .env by name, and the images are built without one', () => {
    const compose = parse(files.get('docker-compose.yml')!) as { services: Record<string, { environment?: Record<string, string> }> };
    for (const [service, entry] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(entry.environment ?? {})) {
        if (SECRET_NAME.test(variable)) expect(String(value), `${service}: ${variable}`).toMatch(/\$\{[A-Z_0-9]+:\?/);
      }
    }
    for (const [path, text] of files) {
      if (!path.endsWith('Dockerfile')) continue;
      for (const line of text.split('\n').filter((l) => /^(ENV|ARG)\b/.test(l))) expect(SECRET_NAME.test(line.replace(/\bSHUTDOWN\w*/g, '')), `${path}: ${line}`).toBe(false);
    }
  });
});

describe.each(KUBERNETES_SPECS)('the Kubernetes objects of %s', (name) => {
  it('reference secrets by Secret name and key: no Secret object, no secret in a ConfigMap or a value', async () => {
    const objects = baseObjects(await generatedSpec(name)).map((f) => f.object);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    let referenced = 0;
    for (const o of objects) {
      if (o.kind === 'ConfigMap') for (const key of Object.keys((o.data as Record<string, string>) ?? {})) expect(SECRET_NAME.test(key), `${o.metadata.name}: ${key}`).toBe(false);
      if (o.kind !== 'Deployment') continue;
      const pod = (o.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }).template.spec;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          if (!SECRET_NAME.test(e.name)) continue;
          expect(e.value, `${o.metadata.name}: ${e.name}`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.key, `${o.metadata.name}: ${e.name}`).toBeDefined();
          referenced++;
        }
      }
    }
    expect(referenced).toBeGreaterThan(0);
  });
});

interface Container {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}
