/**
 * The bundled examples are what `microgen init --example` copies and what the docs point at:
 * they must lint with no errors and no warnings (so `--strict` passes too).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { lintRepoFile, ROOT, show } from './helpers.js';

describe.each(['examples/shop/microgen.yaml', 'examples/minimal/microgen.yaml'])('%s', (spec) => {
  it('lints clean: no errors, no warnings', () => {
    const result = lintRepoFile(spec);
    expect(result.diagnostics.map(show)).toEqual([]);
    expect(result.model).toBeDefined();
  });

  it('passes `microgen lint --strict`', async () => {
    expect(await runCli(['lint', spec, '--strict'], ROOT)).toEqual({ code: 0, stdout: `✓ ${spec}: no problems\n`, stderr: '' });
  });
});

describe('examples/shop/microgen.yaml', () => {
  it('is the full reference system (services, events, both saga styles, gateway)', () => {
    const model = lintRepoFile('examples/shop/microgen.yaml').model!;
    expect(model.services.map((s) => s.name)).toEqual(['user', 'product', 'order', 'inventory', 'payment', 'notification']);
    expect(model.sagas.map((s) => [s.name, s.style])).toEqual([
      ['place-order', 'orchestration'],
      ['fulfil-order', 'choreography'],
    ]);
    expect(model.gateway.routes).toHaveLength(3);
  });
});
