/**
 * `deploy.mode` switches between an image per service and the whole system as one image without
 * touching code: only deployment files differ, and switching in place regenerates them (the old
 * mode's Dockerfiles go) while everything the user owns stays as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { readTree } from '../helpers/tree.js';
import { generateSpec, SPECS } from './helpers.js';

/** Files whose content may depend on the deployment mode. */
const DEPLOYMENT = /^(docker-compose\.yml|\.env\.example|README\.md|\.microgen\/manifest\.json|k8s\/base\/.*|(services\/[^/]+|system|gateway)\/Dockerfile)$/;

describe('deploy.mode', () => {
  it('changes only deployment files: the services, handlers and the system package are the same', async () => {
    const [services, monolith] = await Promise.all([generateSpec('shop'), generateSpec('shop (monolith)')]);
    const a = readTree(services, { skip: (p) => p === 'microgen.yaml' || p.startsWith('packages/runtime/dist/') || p === '.microgen/cache.json' });
    const b = readTree(monolith, { skip: (p) => p === 'microgen.yaml' || p.startsWith('packages/runtime/dist/') || p === '.microgen/cache.json' });
    const differ = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
    expect(differ.filter((p) => !DEPLOYMENT.test(p))).toEqual([]);
    expect(differ).toContain('system/Dockerfile');
    expect(differ).toContain('services/user/Dockerfile');
  });

  it('switches in place: the other mode’s Dockerfiles go, your files stay, nothing conflicts', async () => {
    const dir = await generateSpec('minimal');
    const spec = join(dir, 'microgen.yaml');
    const handlers = join(dir, 'services/greeter/src/handlers/operations.ts');
    writeFileSync(handlers, `${readFileSync(handlers, 'utf8')}// mine\n`);
    writeFileSync(join(dir, 'docker-compose.override.yml'), `${readFileSync(join(dir, 'docker-compose.override.yml'), 'utf8')}# mine\n`);
    writeFileSync(spec, SPECS['minimal (monolith)']());
    const toMonolith = await runCli(['generate', spec]);
    expect(toMonolith.code, toMonolith.stderr).toBe(0);
    expect(toMonolith.stdout).toMatch(/delete\s+services\/greeter\/Dockerfile/);
    expect(toMonolith.stdout).toMatch(/create\s+system\/Dockerfile/);
    expect(readFileSync(handlers, 'utf8')).toMatch(/\/\/ mine\n$/);
    expect(readFileSync(join(dir, 'docker-compose.override.yml'), 'utf8')).toMatch(/# mine\n$/);
    writeFileSync(spec, SPECS.minimal());
    const back = await runCli(['generate', spec]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/create\s+services\/greeter\/Dockerfile/);
    expect(back.stdout).toMatch(/delete\s+system\/Dockerfile/);
  });
});
