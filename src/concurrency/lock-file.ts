import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { onPath } from '../errors/file-system-error.js';

/** Taking a stale lock over takes a few system calls: a takeover this old was left by a process that stopped. */
const TAKEOVER_STALE_AFTER_MS = 10_000;
/** A lock is written as soon as it is created: one still naming no owner this long after was left by a process that stopped in between. */
const UNWRITTEN_STALE_AFTER_MS = 10_000;

const HOST = hostname();

/** Who holds a lock, as its file says; a field is undefined when the file does not say. */
export type LockOwner = { pid: number | undefined; host: string | undefined };

export interface LockFileOptions {
  /**
   * A lock this old is stale even if its owner may still run (on another machine, say): longer than
   * the lock is ever held. Infinity for a lock held as long as its process runs.
   */
  staleAfterMs: number;
  /** Told when this process has removed a stale lock, with the owner it named. */
  onTakeover?: (owner: LockOwner) => void;
}

/** The lock is this process's, with the function that releases it; or who holds it (undefined while it changes hands). */
export type LockAttempt = { release: () => void } | { heldBy: LockOwner | undefined };

/** Creates `path` holding `owner` only if no such file exists: true when this process now holds the lock. */
function tryCreateLockFile(path: string, owner: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    onPath(path, () => writeSync(descriptor, owner));
  } finally {
    closeSync(descriptor);
  }
  return true;
}

/** Whether a process with this pid runs on this machine (a permission error means it does). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a lock holds: its owner's pid and machine (a pid means nothing on another machine, or in
 * another container), and a token of this acquisition, so that no two locks ever read the same.
 */
function newOwner(): string {
  return `${process.pid} ${HOST} ${randomBytes(8).toString('hex')}\n`;
}

function ownerOf(text: string): LockOwner {
  const [pidText, host] = text.trim().split(' ');
  const pid = Number(pidText);
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, host: host || undefined };
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

/**
 * Whether a lock's owner has gone: its pid no longer runs here, or the lock is older than it can be
 * while held. A lock naming no machine (written before locks named one) is taken to be this machine's.
 */
function isStale({ text, modifiedMs }: { text: string; modifiedMs: number }, staleAfterMs: number): boolean {
  const { pid, host } = ownerOf(text);
  const age = Date.now() - modifiedMs;
  if (pid === undefined) return age >= Math.min(staleAfterMs, UNWRITTEN_STALE_AFTER_MS);
  const ownerGone = (host === undefined || host === HOST) && pid !== process.pid && !isAlive(pid);
  return ownerGone || age >= staleAfterMs;
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
 * Removes the lock at `path` if it still holds `text`; true when it did. It is renamed aside first and
 * its whole text compared, so a lock another process has put there meanwhile (its text differs: it has
 * a token of its own) is put back. The inode number would not tell them apart: a file system hands a
 * freed one to the next file created.
 */
function removeUnchanged(path: string, text: string): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const unchanged = readFileSync(aside, 'utf8') === text;
  if (!unchanged) putBack(aside, path);
  ignoreMissing(() => unlinkSync(aside));
  return unchanged;
}

function release(lockPath: string, owner: string): void {
  ignoreMissing(() => {
    if (readFileSync(lockPath, 'utf8') === owner) unlinkSync(lockPath);
  });
}

/**
 * Removes a stale lock: cleared when it is gone and creating the lock may be tried again, else who
 * holds it (undefined when another process is taking it over). Taking over is done by one process at
 * a time, under `<lock>.takeover`, and only when the lock still holds the text judged stale: two
 * processes that judged it at once could otherwise both remove it, the second removing the lock the
 * first had just taken, and both go on as its holder. A takeover left by a process that died is cleared.
 */
function clearIfStale(
  lockPath: string,
  { staleAfterMs, onTakeover }: LockFileOptions,
): { cleared: true } | { heldBy: LockOwner | undefined } {
  const judged = readLock(lockPath);
  if (judged === undefined) return { cleared: true };
  if (!isStale(judged, staleAfterMs)) return { heldBy: ownerOf(judged.text) };
  const takeoverPath = `${lockPath}.takeover`;
  const owner = newOwner();
  if (!tryCreateLockFile(takeoverPath, owner)) {
    const takeover = readLock(takeoverPath);
    if (takeover !== undefined && isStale(takeover, TAKEOVER_STALE_AFTER_MS))
      removeUnchanged(takeoverPath, takeover.text);
    return { heldBy: undefined };
  }
  try {
    if (readLock(lockPath)?.text === judged.text && removeUnchanged(lockPath, judged.text))
      onTakeover?.(ownerOf(judged.text));
  } finally {
    release(takeoverPath, owner);
  }
  return { cleared: true };
}

/**
 * Tries once, without waiting, to create the lock file `lockPath`, holding this process's pid, machine
 * and a token of its own; a stale lock is taken over first. The release removes the lock only while it
 * is still this acquisition's.
 */
export function tryAcquireLockFile(lockPath: string, options: LockFileOptions): LockAttempt {
  const owner = newOwner();
  // A lock that vanishes as it is read (released, or taken over) is tried for again, a few times.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreateLockFile(lockPath, owner)) return { release: () => release(lockPath, owner) };
    const cleared = clearIfStale(lockPath, options);
    if ('heldBy' in cleared) return cleared;
  }
  return { heldBy: undefined };
}

/**
 * Acquires the lock file `lockPath` (see tryAcquireLockFile), waiting without blocking the thread
 * while another process holds it, until `deadline` (a Date.now() time), and then throws `busy()`.
 * Resolves to the function that releases it.
 */
export async function acquireLockFile(
  lockPath: string,
  { deadline, busy, ...options }: LockFileOptions & { deadline: number; busy: () => Error },
): Promise<() => void> {
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const attempt = tryAcquireLockFile(lockPath, options);
    if ('release' in attempt) return attempt.release;
    if (Date.now() > deadline) throw busy();
    await sleep(pause);
  }
}
