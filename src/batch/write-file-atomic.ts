import { renameSync, writeFileSync } from 'node:fs';

/** Writes beside the target, then renames: a run killed mid-write leaves the previous file whole. */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
