/**
 * `.microgen/lock`: one microgen run at a time writes (or recovers, or checks) an output folder.
 * The lock file is created exclusively (O_EXCL) and holds the pid and the command of its owner.
 * A lock whose pid is no longer running is the leftover of a killed run and is taken over. Two
 * runs that find the same stale lock at the same instant could both take it over; the window is
 * one unlink and one create wide.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDir } from './fsx.js';
import { MANIFEST_DIR } from './manifest.js';

export const LOCK_PATH = `${MANIFEST_DIR}/lock`;

export class LockHeld extends Error {
  constructor(
    readonly pid: number,
    readonly command: string,
    readonly outDir: string,
  ) {
    super(`another microgen ${command} (pid ${pid}) is ${command === 'generate' ? 'writing' : 'reading'} ${outDir}`);
  }
}

export interface Lock {
  /** Removes the lock, and the folders taking it created when they are still empty. */
  release(): void;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function holder(path: string): { pid: number; command: string } | undefined {
  try {
    const [pid, command] = readFileSync(path, 'utf8').split(/\s+/);
    return Number.isInteger(Number(pid)) && Number(pid) > 0 ? { pid: Number(pid), command: command || 'generate' } : undefined;
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * Takes the lock of `outDir` for `command`, creating the folders it needs (removed again on
 * release when nothing else was put in them). Throws `LockHeld` when a running process holds it.
 */
export function acquireLock(outDir: string, command: string): Lock {
  const path = join(outDir, LOCK_PATH);
  const created: string[] = [];
  for (let d = join(outDir, MANIFEST_DIR); !existsSync(d) && dirname(d) !== d; d = dirname(d)) created.unshift(d);
  for (const dir of created) makeDir(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid} ${command}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw err;
      const owner = holder(path);
      // Our own pid is another run in this process: held as well.
      if (owner && running(owner.pid)) throw new LockHeld(owner.pid, owner.command, outDir);
      try {
        unlinkSync(path); // a killed run's lock (or an unreadable one): take it over
      } catch {
        /* removed meanwhile */
      }
    }
  }
  return {
    release() {
      if (holder(path)?.pid === process.pid) unlinkSync(path);
      for (const dir of [...created].reverse()) {
        try {
          if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
        } catch {
          /* not empty or gone: leave it */
        }
      }
    },
  };
}
