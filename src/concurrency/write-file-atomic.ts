import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { onPath } from '../errors/file-system-error.js';

/** Runs `write` on a temporary file beside `path`, then renames it into place; a failed write leaves no temporary behind. */
function viaTemporary(path: string, write: (temporary: string) => void): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    write(temporary);
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

function removeQuietly(temporary: string): void {
  try {
    rmSync(temporary, { force: true });
  } catch {
    // Something that is not a file of ours (a directory) is in the way: leave it, the first error says why.
  }
}

/** Writes beside the target, then renames: a run killed mid-write leaves the previous file whole. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  viaTemporary(path, (temporary) => onPath(temporary, () => writeFileSync(temporary, content)));
}

const FLUSH_BYTES = 1 << 16;

/** The same, for content made in pieces: written as it comes, never held whole. */
export function writeChunksAtomic(path: string, chunks: Iterable<string>): void {
  viaTemporary(path, (temporary) => writeChunks(temporary, chunks));
}

function writeChunks(temporary: string, chunks: Iterable<string>): void {
  const descriptor = openSync(temporary, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      onPath(temporary, () => writeSync(descriptor, pending.join('')));
      pending = [];
      size = 0;
    };
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_BYTES) flush();
    }
    flush();
  } finally {
    closeSync(descriptor);
  }
}
