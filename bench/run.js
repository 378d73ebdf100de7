#!/usr/bin/env node
// `npm run bench:generate`: wall time of the built CLI (bin/microgen.js) as a child process, Node's
// start-up included, on synthetic systems (bench/make-spec.js), against the targets in
// docs/performance.md: the median and the fastest of BENCH_RUNS runs (default 9; on a machine
// shared with other work, the fastest run is the one least disturbed by it). Run
// `npm run build` first. Output is written under BENCH_DIR (default /dev/shm when present, so
// the numbers measure microgen rather than this machine's disk).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpec } from './make-spec.js';

const cli = fileURLToPath(new URL('../bin/microgen.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 9);
const base = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const work = mkdtempSync(join(base, 'microgen-bench-'));

/** [median, fastest] wall time in ms of `node ...args`, with `before()` run untimed ahead of each run. */
function time(args, before = () => {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    before();
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(runs / 2)], times[0]];
}

function spec(n) {
  const path = join(work, `spec-${n}.yaml`);
  writeFileSync(path, makeSpec(n));
  return path;
}

const out = join(work, 'out');
const fresh = () => rmSync(out, { recursive: true, force: true });
const [spec10, spec100, spec500] = [spec(10), spec(100), spec(500)];
// In this order: the no-op runs regenerate the tree the last cold run of 100 services wrote.
const rows = [
  ['Node start-up (`node -e 0`)', '', time(['-e', '0'])],
  ['cold generate, 10 services', 500, time([cli, 'generate', spec10, '--out', out], fresh)],
  ['cold generate, 100 services', 1000, time([cli, 'generate', spec100, '--out', out], fresh)],
  ['no-op generate, 100 services', 300, time([cli, 'generate', spec100, '--out', out])],
  ['lint, 500 services', 1000, time([cli, 'lint', spec500])],
];
rmSync(work, { recursive: true, force: true });

console.log(`${runs} runs each, wall time including Node's start-up; files written under ${base}.\n`);
console.log('| run | target | median | fastest |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, target, [median, fastest]] of rows) console.log(`| ${name} | ${target === '' ? '' : `≤ ${target} ms`} | ${Math.round(median)} ms | ${Math.round(fastest)} ms |`);
