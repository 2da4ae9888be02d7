import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, tryCreateLockFile } from '../concurrency/lock-file.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** Changing a file takes milliseconds: a lock this old was left by a process that stopped (on another machine, say). */
const STALE_AFTER_MS = 30_000;
/** Taking a stale lock over takes a few system calls: a takeover this old was left by a process that stopped. */
const TAKEOVER_STALE_AFTER_MS = 10_000;
/** How long to wait for other processes to finish their changes before giving up. */
const WAIT_AT_MOST_MS = 5_000;

const HOST = hostname();

export interface ExampleFileLockOptions {
  waitAtMostMs?: number;
}

/**
 * What a lock holds: its owner's pid and machine (a pid means nothing on another machine, or in
 * another container), and a token of this acquisition, so that no two locks ever read the same.
 */
function newOwner(): string {
  return `${process.pid} ${HOST} ${randomBytes(8).toString('hex')}\n`;
}

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The lock's text and modification time, both from the same file; undefined when there is no lock. */
function readLock(lockPath: string): { text: string; modifiedMs: number } | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(lockPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { modifiedMs: fstatSync(descriptor).mtimeMs, text: readFileSync(descriptor, 'utf8') };
  } finally {
    closeSync(descriptor);
  }
}

/** Whether a lock's owner has gone: its pid no longer runs here, or the lock is older than it can be while held. */
function isStale({ text, modifiedMs }: { text: string; modifiedMs: number }, staleAfterMs: number): boolean {
  const [pidText, host] = text.trim().split(' ');
  const pid = Number(pidText);
  const ownerGone = host === HOST && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
  return ownerGone || Date.now() - modifiedMs >= staleAfterMs;
}

/** Puts a file moved aside by mistake back in place, unless a new one has been created there meanwhile. */
function putBack(aside: string, path: string): void {
  ignoreMissing(() => {
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  });
}

/**
 * Removes the lock at `path` if it still holds `text`. It is renamed aside first and its whole text
 * compared, so a lock another process has put there meanwhile (its text differs: it has a token of
 * its own) is put back. The inode number would not tell them apart: a file system hands a freed one
 * to the next file created.
 */
function removeUnchanged(path: string, text: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readFileSync(aside, 'utf8') !== text) putBack(aside, path);
  ignoreMissing(() => unlinkSync(aside));
}

/**
 * Removes a stale lock; true when it is gone and creating the lock may be tried again, false when it
 * is live or another process is taking it over. Taking over is done by one process at a time, under
 * `<file>.lock.takeover`, and only when the lock still holds the text judged stale: two processes
 * that judged it at once could otherwise both remove it, the second removing the lock the first had
 * just taken, and both make their change. A takeover left by a process that died is cleared.
 */
function clearIfStale(lockPath: string): boolean {
  const judged = readLock(lockPath);
  if (judged === undefined) return true;
  if (!isStale(judged, STALE_AFTER_MS)) return false;
  const takeoverPath = `${lockPath}.takeover`;
  const owner = newOwner();
  if (!tryCreateLockFile(takeoverPath, owner)) {
    const takeover = readLock(takeoverPath);
    if (takeover !== undefined && isStale(takeover, TAKEOVER_STALE_AFTER_MS)) removeUnchanged(takeoverPath, takeover.text);
    return false;
  }
  try {
    if (readLock(lockPath)?.text === judged.text) removeUnchanged(lockPath, judged.text);
  } finally {
    release(takeoverPath, owner);
  }
  return true;
}

function release(lockPath: string, owner: string): void {
  ignoreMissing(() => {
    if (readFileSync(lockPath, 'utf8') === owner) unlinkSync(lockPath);
  });
}

function busy(path: string, lockPath: string): AnswerkeyError {
  return new AnswerkeyError('examples_busy', `another process is changing ${basename(path)} of the graded examples`, {
    hint: `try again; if nothing else is changing them, delete ${lockPath}`,
    apiHint: 'try again in a moment',
  });
}

/**
 * Creates `<file>.lock`, taking a stale lock over and waiting (without blocking the thread) for a
 * live one until the deadline. Resolves to the function that releases it.
 */
async function acquire(path: string, deadline: number): Promise<() => void> {
  const lockPath = `${path}.lock`;
  const owner = newOwner();
  for (let pause = 2; !tryCreateLockFile(lockPath, owner); pause = Math.min(pause * 2, 50)) {
    if (clearIfStale(lockPath)) continue;
    if (Date.now() > deadline) throw busy(path, lockPath);
    await sleep(pause);
  }
  return () => release(lockPath, owner);
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
