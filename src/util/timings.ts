/**
 * `MICROGEN_TIMINGS=1 microgen generate`: how long each phase of a run took, on stderr, without
 * a profiler (docs/performance.md). Off, each mark is one comparison.
 */
const enabled = process.env.MICROGEN_TIMINGS === '1';
const marks: [string, number][] = [];

/** Ends the phase called `name` (it began at the previous mark, or at process start). */
export function mark(name: string): void {
  if (!enabled) return;
  if (marks.length === 0) process.once('exit', report);
  marks.push([name, performance.now()]);
}

function report(): void {
  let last = 0;
  const rows = marks.map(([name, at]) => {
    const row = `${name.padEnd(24)} ${(at - last).toFixed(1).padStart(7)} ms`;
    last = at;
    return row;
  });
  process.stderr.write(`timings (from process start):\n${rows.join('\n')}\n${'exit'.padEnd(24)} ${(performance.now() - last).toFixed(1).padStart(7)} ms\n`);
}
