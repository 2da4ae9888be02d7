import { linkSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { isAlive, tryCreateLockFile } from '../concurrency/lock-file.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** Changing a file takes milliseconds: a lock this old was left by a process that stopped (on another machine, say). */
const STALE_AFTER_MS = 30_000;
/** How long to wait for another process to finish its change before giving up. */
const WAIT_AT_MOST_MS = 5_000;

/** What a lock holds: its owner's pid and machine (a pid means nothing on another machine, or in another container). */
const HOST = hostname();
const OWNER = `${process.pid} ${HOST}\n`;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (milliseconds: number) => void Atomics.wait(sleeper, 0, 0, milliseconds);

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Removes a lock whose owner has gone (its pid no longer runs here, or it is older than any change
 * takes); true when the lock is gone and creating it may be tried again. The lock is first renamed
 * aside and checked to be the one judged stale, so a lock another process has just taken is put back.
 */
function clearIfStale(lockPath: string): boolean {
  let judgedIno: number;
  try {
    const { ino, mtimeMs } = statSync(lockPath);
    const [pidText, host] = readFileSync(lockPath, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    const ownerGone = host === HOST && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
    if (!ownerGone && Date.now() - mtimeMs < STALE_AFTER_MS) return false;
    judgedIno = ino;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (statSync(aside).ino !== judgedIno) {
    ignoreMissing(() => {
      try {
        linkSync(aside, lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    });
  }
  ignoreMissing(() => unlinkSync(aside));
  return true;
}

function release(lockPath: string): void {
  ignoreMissing(() => {
    if (readFileSync(lockPath, 'utf8') === OWNER) unlinkSync(lockPath);
  });
}

/**
 * Runs a change to an examples file while holding `<file>.lock`, created exclusively with this
 * process's pid and machine in it, so changes by several processes (the server, `answerkey examples add`)
 * never interleave. A stale lock is taken over; a live one is waited for, up to a few seconds.
 * Within one process the changes are synchronous, so they never wait for each other.
 */
export function withExampleFileLock<T>(path: string, change: () => T, { waitAtMostMs = WAIT_AT_MOST_MS } = {}): T {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + waitAtMostMs;
  for (let pause = 2; !tryCreateLockFile(lockPath, OWNER); pause = Math.min(pause * 2, 50)) {
    if (clearIfStale(lockPath)) continue;
    if (Date.now() > deadline) {
      throw new AnswerkeyError('examples_busy', `another process is changing ${basename(path)} of the graded examples`, {
        hint: `try again; if nothing else is changing them, delete ${lockPath}`,
        apiHint: 'try again in a moment',
      });
    }
    sleep(pause);
  }
  try {
    return change();
  } finally {
    release(lockPath);
  }
}
