#!/usr/bin/env node
// `npm run bench`: lint and generate timings on synthetic systems of 10, 100 and 500 services.
// Every number is the median of several runs of the real CLI as a child process (wall time),
// next to Node's own start-up (`node -e 0`), so "after start-up" = wall − start-up.
// Run `npm run build` first. Results go to stdout as a Markdown table (copy into docs/performance.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpec } from './make-spec.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'microgen.js');
const sizes = (process.env.BENCH_SIZES ?? '10,100,500').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 9);

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

// On this kind of VM the disk's write-back makes the same 1,700 writes take 0.2 s or 1.6 s from one
// run to the next; a memory file system (BENCH_DIR, default /dev/shm when present) measures the
// work rather than the device. The floor runs right after each cold generate on the same folder
// kind, and the ratio is the median of the per-run ratios.
const base = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const work = mkdtempSync(join(base, 'microgen-bench-'));
const startup = measure(runs, () => wall(['-e', '0']));
const rows = [];
for (const n of sizes) {
  const spec = join(work, `spec-${n}.yaml`);
  writeFileSync(spec, makeSpec(n));
  const lint = measure(runs, () => wall([cli, 'lint', spec]));
  let files = 0;
  const reference = join(work, `cold-${n}-0`);
  const colds = [];
  const floors = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const out = join(work, `cold-${n}-${i}`);
    const cold = wall([cli, 'generate', spec, '--out', out]);
    if (i === 0) files = Number(execFileSync('find', [out, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').length);
    const floor = wall([join(root, 'bench', 'io-floor.js'), reference, join(work, `floor-${n}-${i}`)]);
    colds.push(cold);
    floors.push(floor);
    ratios.push(cold / floor);
  }
  const noop = measure(runs, () => wall([cli, 'generate', spec, '--out', reference]));
  const check = measure(runs, () => wall([cli, 'check', spec, '--out', reference]));
  const sorted = [...ratios].sort((a, b) => a - b);
  // The middle half of the per-run ratios: this VM's speed drifts, and one number hides how much.
  const quartiles = [sorted[Math.floor((runs - 1) / 4)], sorted[Math.ceil((3 * (runs - 1)) / 4)]];
  rows.push({ n, files, lint, cold: median(colds), noop, check, floor: median(floors), ratio: median(ratios), quartiles });
  for (let i = 0; i < runs; i++) {
    rmSync(join(work, `floor-${n}-${i}`), { recursive: true, force: true });
    if (i > 0) rmSync(join(work, `cold-${n}-${i}`), { recursive: true, force: true });
  }
}
rmSync(work, { recursive: true, force: true });

const ms = (x) => `${Math.round(x)} ms`;
const after = (x) => `${Math.round(x - startup)} ms`;
console.log(`Node start-up (\`node -e 0\`): ${ms(startup)}; median of ${runs} runs; wall time of the CLI as a child process; files written under ${base}.\n`);
console.log('| services | files | lint | lint after start-up | generate (cold) | I/O floor | cold ÷ floor | middle half of the runs | no-op generate after start-up | check after start-up |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const range = `${r.quartiles[0].toFixed(2)}–${r.quartiles[1].toFixed(2)}×`;
  console.log(`| ${r.n} | ${r.files} | ${ms(r.lint)} | ${after(r.lint)} | ${ms(r.cold)} | ${ms(r.floor)} | ${r.ratio.toFixed(2)}× | ${range} | ${after(r.noop)} | ${after(r.check)} |`);
}
