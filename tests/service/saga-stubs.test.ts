/**
 * A saga's step class is user code: when the spec gains a step, generate inserts its stub methods
 * into src/handlers/sagas/<saga>.ts and keeps what the user wrote; when the spec loses one, its
 * methods stay and generate reports them orphaned.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { ROOT } from '../helpers/system.js';

const SHOP = readFileSync(join(ROOT, 'examples/shop/microgen.yaml'), 'utf8');
const STEPS = 'services/order/src/handlers/sagas/place-order.ts';
const PAYMENT_STEP = '      - name: process-payment\n        action: payment.charge\n        compensation: payment.refund\n';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'saga-stubs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const generate = async (spec: string) => {
  writeFileSync(join(dir, 'microgen.yaml'), spec);
  const run = await runCli(['generate', join(dir, 'microgen.yaml')]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
};

it('adds the stub methods of a new step next to the user code, and reports a removed step orphaned', async () => {
  expect(SHOP).toContain(PAYMENT_STEP);
  await generate(SHOP.replace(PAYMENT_STEP, ''));
  const file = join(dir, STEPS);
  const first = readFileSync(file, 'utf8');
  expect(first).not.toContain('processPayment');
  const mine = first.replace("throw new NotImplemented('place-order: create-order');", 'return { body: { userId: run.input.userId, items: run.input.items } };');
  expect(mine).not.toBe(first);
  writeFileSync(file, mine);

  const added = await generate(SHOP);
  expect(added).toContain(`${STEPS} (added processPayment, compensateProcessPayment)`);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('return { body: { userId: run.input.userId, items: run.input.items } };');
  expect(text).toContain("  override async processPayment(\n    run: Sg.PlaceOrderRun,\n  ): Promise<Sg.PlaceOrderProcessPaymentRequest> {\n    throw new NotImplemented('place-order: process-payment');\n  }");
  expect(text).toContain('  override async compensateProcessPayment(\n    run: Sg.PlaceOrderRun,\n    result: Sg.PlaceOrderProcessPaymentResult,\n  ): Promise<Sg.PlaceOrderCompensateProcessPaymentRequest> {');
  expect(readFileSync(join(dir, 'services/order/src/generated/sagas.ts'), 'utf8')).toContain('abstract processPayment(');

  const removed = await generate(SHOP.replace(PAYMENT_STEP, ''));
  expect(removed).toContain(`${STEPS}: compensateProcessPayment, processPayment no longer in the spec`);
  expect(readFileSync(file, 'utf8')).toBe(text);
  expect(readFileSync(join(dir, 'services/order/src/generated/sagas.ts'), 'utf8')).not.toContain('processPayment');
});
