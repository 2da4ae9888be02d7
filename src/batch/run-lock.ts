import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, tryCreateLockFile } from '../concurrency/lock-file.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

export const LOCK_FILE = 'batch.lock';
/** A lock with no pid in it yet is being written by its owner, unless it is older than this. */
const UNWRITTEN_LOCK_GRACE_MS = 10_000;

export type RunLock = { path: string; release: () => void };

/**
 * One run per output folder: the lock is created exclusively and holds the owner's pid. A lock
 * whose process has gone (kill -9, a crash) is taken over; a live one is refused.
 */
export function acquireRunLock(directory: string, notice: (message: string) => void): RunLock {
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (tryCreateLockFile(path, `${process.pid}\n`)) return { path, release: () => releaseLock(path) };
    const owner = readOwner(path);
    if (owner === 'gone') continue;
    if (owner.alive) {
      throw new AnswerkeyError('invalid_input', `another batch run${owner.pid ? ` (pid ${owner.pid})` : ''} is writing to ${directory}`, {
        hint: `wait for it to finish or use another --out folder; if no run is going, delete ${path}`,
      });
    }
    notice(`taking over the lock of an earlier run that stopped without releasing it${owner.pid ? ` (pid ${owner.pid})` : ''}`);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new AnswerkeyError('invalid_input', `another batch run is starting in ${directory}`, {
    hint: `run one batch per --out folder at a time; if no run is going, delete ${path}`,
  });
}

function readOwner(path: string): { pid: number | undefined; alive: boolean } | 'gone' {
  let text: string;
  let age: number;
  try {
    text = readFileSync(path, 'utf8');
    age = Date.now() - statSync(path).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: undefined, alive: age < UNWRITTEN_LOCK_GRACE_MS };
  return { pid, alive: isAlive(pid) };
}

function releaseLock(path: string): void {
  try {
    if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
