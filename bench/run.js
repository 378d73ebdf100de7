#!/usr/bin/env node
// `npm run bench`: lint and generate timings on synthetic systems of 10, 100 and 500 services.
// Every number is the median of several runs of the real CLI as a child process (wall time),
// next to Node's own start-up (`node -e 0`), so "after start-up" = wall − start-up.
// Run `npm run build` first. Results go to stdout as a Markdown table (copy into docs/performance.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpec } from './make-spec.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'microgen.js');
const sizes = (process.env.BENCH_SIZES ?? '10,100,500').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function wall(args, opts = {}) {
  const start = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, args, { stdio: 'pipe', ...opts });
  } catch (err) {
    if (!opts.allowFail) throw err;
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}
function measure(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(fn(i));
  return median(xs);
}

const work = mkdtempSync(join(tmpdir(), 'microgen-bench-'));
const startup = measure(runs, () => wall(['-e', '0']));
const rows = [];
for (const n of sizes) {
  const spec = join(work, `spec-${n}.yaml`);
  writeFileSync(spec, makeSpec(n));
  const lint = measure(runs, () => wall([cli, 'lint', spec]));
  let files = 0;
  const cold = measure(runs, (i) => {
    const out = join(work, `cold-${n}-${i}`);
    const t = wall([cli, 'generate', spec, '--out', out]);
    if (i === 0) files = Number(execFileSync('find', [out, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').length);
    return t;
  });
  const reference = join(work, `cold-${n}-0`);
  const noop = measure(runs, () => wall([cli, 'generate', spec, '--out', reference]));
  const check = measure(runs, () => wall([cli, 'check', spec, '--out', reference]));
  const floor = measure(runs, (i) => wall([join(root, 'bench', 'io-floor.js'), reference, join(work, `floor-${n}-${i}`)]));
  rows.push({ n, files, lint, cold, noop, check, floor });
  for (let i = 0; i < runs; i++) {
    rmSync(join(work, `floor-${n}-${i}`), { recursive: true, force: true });
    if (i > 0) rmSync(join(work, `cold-${n}-${i}`), { recursive: true, force: true });
  }
}
rmSync(work, { recursive: true, force: true });

const ms = (x) => `${Math.round(x)} ms`;
const after = (x) => `${Math.round(x - startup)} ms`;
console.log(`Node start-up (\`node -e 0\`): ${ms(startup)}; median of ${runs} runs; wall time of the CLI as a child process.\n`);
console.log('| services | files | lint | lint after start-up | generate (cold) | I/O floor | cold ÷ floor | no-op generate after start-up | check after start-up |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.n} | ${r.files} | ${ms(r.lint)} | ${after(r.lint)} | ${ms(r.cold)} | ${ms(r.floor)} | ${(r.cold / r.floor).toFixed(2)}× | ${after(r.noop)} | ${after(r.check)} |`);
}
