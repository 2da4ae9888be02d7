import { closeSync, openSync, writeSync } from 'node:fs';

/** Creates `path` holding `owner` only if no such file exists: true when this process now holds the lock. */
export function tryCreateLockFile(path: string, owner: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(descriptor, owner);
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
