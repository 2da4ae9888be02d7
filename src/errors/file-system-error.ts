import { existsSync } from 'node:fs';
import { dirname, relative, isAbsolute, resolve } from 'node:path';
import { AnswerkeyError } from './answerkey-error.js';

/** A folder the program uses and the flag or variable that sets it. */
export interface FolderSetting {
  directory: string;
  setting: string;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than the file system allows',
  EIO: 'the device reported an input/output error',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
};

const ACTIONS: Record<string, string> = {
  mkdir: 'cannot create',
  open: 'cannot open',
  rename: 'cannot move',
  unlink: 'cannot delete',
  rmdir: 'cannot delete',
  rm: 'cannot delete',
  write: 'cannot write',
  fsync: 'cannot write',
  fdatasync: 'cannot write',
  copyfile: 'cannot write',
  link: 'cannot write',
  scandir: 'cannot read',
  read: 'cannot read',
};

function isInside(path: string, folder: string): boolean {
  const between = relative(resolve(folder), resolve(path));
  return between === '' || (!between.startsWith('..') && !isAbsolute(between));
}

/**
 * A file-system error (permission, read-only, full disk, missing folder) as a user-facing error
 * naming the path and what to do, preferring the setting whose folder holds it; undefined for any
 * other error, which stays a bug.
 */
export function fileSystemError(error: unknown, folders: readonly FolderSetting[] = []): AnswerkeyError | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || !(code in REASONS)) return undefined;
  const parent = dirname(path);
  const missingFolder = code === 'ENOENT' && !existsSync(parent);
  const reason = missingFolder ? `its folder ${parent} does not exist` : REASONS[code];
  const folder = folders
    .filter((candidate) => isInside(path, candidate.directory))
    .sort((left, right) => right.directory.length - left.directory.length)[0];
  const remedy = (() => {
    if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space';
    if (missingFolder) return `create ${parent}`;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return 'check the path';
    return `make ${folder?.directory ?? parent} writable by this user`;
  })();
  const hint = folder
    ? `${remedy}, or set ${folder.setting} to a folder you can write`
    : `${remedy}, or choose another path`;
  return new AnswerkeyError(
    OUT_OF_SPACE.has(code) ? 'storage_full' : 'file_system',
    `${ACTIONS[syscall ?? ''] ?? 'cannot use'} ${path}: ${reason}`,
    { hint, cause: error },
  );
}

/** Errors that mean the disk (or the user's quota) is full: HTTP 507 from the server. */
const OUT_OF_SPACE: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Runs a file operation on `path`. Node's errors from writing to an open file (writeSync,
 * fdatasync, and writeFileSync past its open) carry no path, so fileSystemError could not name
 * the file or the setting: the error gets this path.
 */
export function onPath<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw withPath(error, path);
  }
}

/** The same for an asynchronous operation. */
export async function onPathAsync<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw withPath(error, path);
  }
}

function withPath(error: unknown, path: string): unknown {
  const errno = error as NodeJS.ErrnoException | undefined;
  if (errno instanceof Error && typeof errno.code === 'string' && typeof errno.path !== 'string') errno.path = path;
  return error;
}
