import { basename } from 'node:path';
import { acquireLockFile } from '../concurrency/lock-file.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** Changing a file takes milliseconds: a lock this old was left by a process that stopped (on another machine, say). */
const STALE_AFTER_MS = 30_000;
/** How long to wait for other processes to finish their changes before giving up. */
const WAIT_AT_MOST_MS = 5_000;

export interface ExampleFileLockOptions {
  waitAtMostMs?: number;
}

function busy(path: string, lockPath: string): AnswerkeyError {
  return new AnswerkeyError('examples_busy', `another process is changing ${basename(path)} of the graded examples`, {
    details: { lockPath },
  });
}

/** Creates `<file>.lock` (see acquireLockFile): resolves to the function that releases it. */
function acquire(path: string, deadline: number): Promise<() => void> {
  const lockPath = `${path}.lock`;
  return acquireLockFile(lockPath, { staleAfterMs: STALE_AFTER_MS, deadline, busy: () => busy(path, lockPath) });
}

/**
 * Runs a change to several examples files while holding the lock of each (`<file>.lock`, created
 * exclusively with this process's pid, machine and a token of its own), so that changes by several
 * processes (the server, `answerkey examples add`), or by several requests in one process, never
 * interleave. Every lock is taken before the change starts, in sorted order of the paths, so two
 * changes never wait for each other; when one stays busy for `waitAtMostMs` (5 s), those taken are
 * released and nothing is changed (an examples_busy error). A stale lock is taken over.
 */
export async function withExampleFileLocks<T>(paths: readonly string[], change: () => T, { waitAtMostMs = WAIT_AT_MOST_MS }: ExampleFileLockOptions = {}): Promise<T> {
  const deadline = Date.now() + waitAtMostMs;
  const releases: Array<() => void> = [];
  try {
    for (const path of [...new Set(paths)].sort()) releases.push(await acquire(path, deadline));
    return change();
  } finally {
    for (const releaseLock of releases.reverse()) releaseLock();
  }
}

/** Runs a change to one examples file while holding its lock (see withExampleFileLocks). */
export function withExampleFileLock<T>(path: string, change: () => T, options: ExampleFileLockOptions = {}): Promise<T> {
  return withExampleFileLocks([path], change, options);
}
