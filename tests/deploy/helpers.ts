/**
 * The specs whose deployment files the deploy tests check, generated once per worker: the
 * shop (Kong, Consul, every database kind), the minimal system (the Node gateway), two fixtures
 * (the Node gateway with a secret, Redis counts and Kubernetes overrides; Kong with a public key),
 * and each of the first three in monolith mode.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/io.js';
import { ROOT, workDir } from '../helpers/system.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const monolith = (spec: string): string =>
  /^deploy:\n/m.test(spec) ? spec.replace(/^deploy:\n/m, 'deploy:\n  mode: monolith\n') : `${spec}\ndeploy:\n  mode: monolith\n  kubernetes: { replicas: 2 }\n`;

export const SPECS: Record<string, () => string> = {
  shop: () => read('examples/shop/microgen.yaml'),
  'shop (monolith)': () => monolith(read('examples/shop/microgen.yaml')),
  minimal: () => read('examples/minimal/microgen.yaml'),
  'minimal (monolith)': () => monolith(read('examples/minimal/microgen.yaml')),
  'node-gateway': () => read('tests/fixtures/deploy/node-gateway.yaml'),
  'node-gateway (monolith)': () => monolith(read('tests/fixtures/deploy/node-gateway.yaml')),
  'kong-jwks': () => read('tests/fixtures/deploy/kong-jwks.yaml'),
};

/** The specs with `deploy.kubernetes`. */
export const KUBERNETES_SPECS = ['shop', 'shop (monolith)', 'minimal (monolith)', 'node-gateway', 'node-gateway (monolith)', 'kong-jwks'];

/** Generates a spec of SPECS into a fresh folder; returns the folder. */
export async function generateSpec(name: string, text = SPECS[name]()): Promise<string> {
  const dir = workDir('deploy');
  writeFileSync(join(dir, 'microgen.yaml'), text);
  const run = await runCli(['generate', join(dir, 'microgen.yaml')]);
  if (run.code !== 0) throw new Error(`generate failed:\n${run.stdout}${run.stderr}`);
  return dir;
}

const generated = new Map<string, Promise<string>>();
/**
 * generateSpec, once per spec and worker (the fast project's files share modules, so this map):
 * for tests that only read the files.
 */
export function generatedSpec(name: string): Promise<string> {
  if (!generated.has(name)) generated.set(name, generateSpec(name));
  return generated.get(name)!;
}

/**
 * `.env` made from `.env.example`, as the README says to, with a value for each variable the
 * example leaves for the user to fill in (Kong's public key), or `fill` for every secret.
 */
export function copyEnvExample(dir: string, fill?: (name: string) => string | undefined): void {
  const lines = readFileSync(join(dir, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      if (!m) return line;
      const value = fill?.(m[1]) ?? (m[2] === '' ? 'filled-in-by-the-test' : m[2]);
      return `${m[1]}=${value}`;
    });
  writeFileSync(join(dir, '.env'), lines.join('\n'));
}

/** `KEY=value` lines of an env file (comments and blank lines skipped). */
export function envKeys(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };

/** Every object of every file under k8s/base (multi-document YAML), with the file it came from. */
export function baseObjects(dir: string): { file: string; object: K8sObject }[] {
  const base = join(dir, 'k8s/base');
  return readdirSync(base)
    .filter((f) => f !== 'kustomization.yaml')
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(base, file), 'utf8')).map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
        return { file, object: doc.toJS() as K8sObject };
      }),
    );
}
