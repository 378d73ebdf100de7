/**
 * Renames keep the user's code, checked by the compiler: implement `greet`, rename it to
 * `sendGreeting` in the spec, generate, and the service still builds with `tsc` — the method
 * kept its body under the new name and no 501 stub was added.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { buildSystem, generateSystem, ROOT } from '../helpers/system.js';

const MINIMAL = readFileSync(join(ROOT, 'examples/minimal/microgen.yaml'), 'utf8');
const OPS = 'services/greeter/src/handlers/operations.ts';
const specDir = mkdtempSync(join(tmpdir(), 'renames-e2e-'));
afterAll(() => rmSync(specDir, { recursive: true, force: true }));

it('a renamed, implemented operation still builds', async () => {
  const spec = join(specDir, 'microgen.yaml');
  writeFileSync(spec, MINIMAL);
  const dir = await generateSystem(spec, 'renames');
  const text = readFileSync(join(dir, OPS), 'utf8');
  writeFileSync(
    join(dir, OPS),
    text
      .replace("throw new NotImplemented('greet');", '// Greet by name.\n    return { status: 201, body: { message: `Hello, ${request.body.name}!` } };')
      .replace("import { NotImplemented } from '@microgen/runtime';\n", ''),
  );
  expect(buildSystem(dir, ['services/greeter']).output).toBe('');

  writeFileSync(spec, MINIMAL.replace('      greet:\n', '      sendGreeting:\n'));
  const run = await runCli(['generate', spec, '--out', dir]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('renamed greeter.greet → sendGreeting');
  const renamed = readFileSync(join(dir, OPS), 'utf8');
  expect(renamed).toContain('override async sendGreeting(request: Op.SendGreetingRequest): Promise<Op.SendGreetingReply> {\n    // Greet by name.');
  expect(renamed).not.toContain('NotImplemented');
  const build = buildSystem(dir, ['services/greeter']);
  expect(build.output).toBe('');
  expect(build.code).toBe(0);
}, 600_000);
