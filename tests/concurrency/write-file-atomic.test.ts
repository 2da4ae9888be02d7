import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeChunksAtomic, writeFileAtomic } from '../../src/concurrency/write-file-atomic.js';

function folderWithFile(): { folder: string; path: string } {
  const folder = mkdtempSync(join(tmpdir(), 'answerkey-atomic-'));
  const path = join(folder, 'results.jsonl');
  writeFileSync(path, 'before\n');
  return { folder, path };
}

describe('atomic writes', () => {
  it('replace the file whole', () => {
    const { folder, path } = folderWithFile();
    writeFileAtomic(path, 'after\n');
    writeChunksAtomic(join(folder, 'chunks.txt'), ['a', 'b', 'c']);
    expect(readFileSync(path, 'utf8')).toBe('after\n');
    expect(readFileSync(join(folder, 'chunks.txt'), 'utf8')).toBe('abc');
    expect(readdirSync(folder).sort()).toEqual(['chunks.txt', 'results.jsonl']);
  });

  it('leave the previous file and no temporary behind when the content fails part-way', () => {
    const { folder, path } = folderWithFile();
    function* failing(): Generator<string> {
      yield 'x'.repeat(1 << 17);
      throw new Error('the producer broke');
    }
    expect(() => writeChunksAtomic(path, failing())).toThrow('the producer broke');
    expect(readFileSync(path, 'utf8')).toBe('before\n');
    expect(readdirSync(folder)).toEqual(['results.jsonl']);
  });
});
