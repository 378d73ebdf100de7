// The I/O floor: a plain Node script that writes the same bytes microgen generated (read
// beforehand from a reference tree), with mkdir -p, and nothing else. Usage: io-floor.js SRC DST
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const [src, dst] = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else files.push([relative(src, full), readFileSync(full)]);
  }
};
walk(src);
const start = performance.now();
for (const [rel, bytes] of files) {
  mkdirSync(dirname(join(dst, rel)), { recursive: true });
  writeFileSync(join(dst, rel), bytes);
}
process.stdout.write(String(performance.now() - start));
