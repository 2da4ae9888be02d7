import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';

/** Writes beside the target, then renames: a run killed mid-write leaves the previous file whole. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

const FLUSH_BYTES = 1 << 16;

/** The same, for content made in pieces: written as it comes, never held whole. */
export function writeChunksAtomic(path: string, chunks: Iterable<string>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      writeSync(descriptor, pending.join(''));
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
  renameSync(temporary, path);
}
