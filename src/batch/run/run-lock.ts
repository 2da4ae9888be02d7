import { join } from 'node:path';
import { tryAcquireLockFile } from '../../concurrency/lock-file.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';

export const LOCK_FILE = 'batch.lock';

export type RunLock = { path: string; release: () => void };

/**
 * One run per output folder: the lock is created exclusively and holds the owner's pid (see
 * tryAcquireLockFile). A lock whose process has gone (kill -9, a crash) is taken over, by one process
 * at a time; a live one is refused. A run may last hours, so a lock is never stale for its age alone.
 */
export function acquireRunLock(directory: string, notice: (message: string) => void): RunLock {
  const path = join(directory, LOCK_FILE);
  const attempt = tryAcquireLockFile(path, {
    staleAfterMs: Number.POSITIVE_INFINITY,
    onTakeover: ({ pid }) =>
      notice(`taking over the lock of an earlier run that stopped without releasing it${pid ? ` (pid ${pid})` : ''}`),
  });
  if ('release' in attempt) return { path, release: attempt.release };
  if (attempt.heldBy === undefined) {
    throw new AnswerkeyError('batch_busy', `another batch run is starting in ${directory}`, {
      hint: `run one batch per output folder at a time; if no run is going, delete ${path}`,
      details: { reason: 'batch_starting', lockPath: path },
    });
  }
  const { pid } = attempt.heldBy;
  throw new AnswerkeyError('batch_busy', `another batch run${pid ? ` (pid ${pid})` : ''} is writing to ${directory}`, {
    hint: `wait for it to finish or use another output folder; if no run is going, delete ${path}`,
    details: { reason: 'batch_running', lockPath: path },
  });
}
