import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { relative, isAbsolute } from 'node:path';

/** The bytes of a file, or why it was not read (one line for errors.jsonl). */
export type RegularFileRead = { bytes: Buffer } | { problem: string };

/** One take-home file: a Word or PDF file with images is a few MB; nothing a candidate writes needs more. */
export const MAX_TAKE_HOME_BYTES = 25 * 1024 * 1024;

/**
 * Reads a file only when it is a regular file of at most `maxBytes`. With `insideFolder`, a
 * symbolic link is followed only to a file inside that folder (a link out, `bob.md ->
 * /etc/passwd`, is refused); a FIFO or a device is never opened (opening a FIFO blocks, `/dev/zero`
 * never ends). The file is opened without following links and without blocking, and checked again
 * once open, so a file swapped in between is caught too.
 */
export function readRegularFile(path: string, maxBytes: number, insideFolder?: string): RegularFileRead {
  let target = path;
  let status: Stats;
  try {
    status = lstatSync(path);
    if (status.isSymbolicLink()) {
      if (insideFolder === undefined) {
        status = statSync(path);
      } else {
        target = realpathSync(path);
        if (!isInside(target, realpathSync(insideFolder)))
          return { problem: `a symbolic link to ${target}, outside the folder: only files inside the folder are read` };
        status = lstatSync(target);
      }
    }
  } catch (error) {
    return { problem: `cannot read it (${errorCode(error)})` };
  }
  const kind = notRegular(status);
  if (kind) return { problem: `${kind}, not a regular file` };
  if (status.size > maxBytes) return { problem: tooLarge(status.size, maxBytes) };
  let descriptor: number;
  try {
    descriptor = openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: `cannot read it (${errorCode(error)})` };
  }
  try {
    const opened = fstatSync(descriptor);
    const openedKind = notRegular(opened);
    if (openedKind) return { problem: `${openedKind}, not a regular file` };
    // One byte more than the cap tells a file that grew past it from one that fits exactly.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes, opened.size) + 1);
    let length = 0;
    for (;;) {
      if (length > maxBytes) return { problem: tooLarge(length, maxBytes) };
      // A file that grew since it was measured: room for more, up to the cap and one byte.
      if (length === buffer.length)
        buffer = Buffer.concat([buffer, Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2) - buffer.length)]);
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { problem: `cannot read it (${errorCode(error)})` };
  } finally {
    closeSync(descriptor);
  }
}

function notRegular(status: Stats): string | undefined {
  if (status.isFile()) return undefined;
  if (status.isDirectory()) return 'a folder';
  if (status.isFIFO()) return 'a named pipe (FIFO)';
  if (status.isSocket()) return 'a socket';
  if (status.isCharacterDevice() || status.isBlockDevice()) return 'a device';
  if (status.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function tooLarge(size: number, maxBytes: number): string {
  return `${formatSize(size)}, over the ${formatSize(maxBytes)} a file may have`;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} bytes`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

function isInside(path: string, folder: string): boolean {
  const between = relative(folder, path);
  return between !== '' && !between.startsWith('..') && !isAbsolute(between);
}
