/**
 * The fast project's temporary folder (its TMPDIR): one per run, removed when the run ends, and
 * in memory (/dev/shm) when the machine has room there. The tests write thousands of throw-away
 * trees, and microgen syncs every file it writes (crash safety): on a disk the tests waited for
 * those syncs, on tmpfs they cost nothing. The same calls run either way.
 */
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const RAM = '/dev/shm';
const ENOUGH = 2 ** 30; // a run leaves about 30 MB; a container's 64 MB /dev/shm is too tight

function parentFolder(): string {
  try {
    const fs = statfsSync(RAM);
    if (fs.bavail * fs.bsize >= ENOUGH) return RAM;
  } catch {
    // no /dev/shm: the usual temporary folder
  }
  return tmpdir();
}

/** Read by vitest.config.ts (the project's `env`) and by the global setup below, in one process. */
export const FAST_TMP = join(parentFolder(), `microgen-fast-tests-${process.pid}`);

/** Global setup of the fast project: makes the folder, and removes it after the run. */
export default function setup(project: TestProject): () => void {
  const dir = project.config.env.TMPDIR ?? FAST_TMP;
  mkdirSync(dir, { recursive: true });
  return () => rmSync(dir, { recursive: true, force: true });
}
