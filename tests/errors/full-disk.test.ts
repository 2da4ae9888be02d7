import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { fileSystemError, onPath } from '../../src/errors/file-system-error.js';
import { problemSchema } from '../../src/server/api-schemas.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { runCliForTest } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/test-server.js';

// A real full disk without root or mounts: every write to /dev/full fails with ENOSPC, as on a full
// device. Files are written beside their target as `<path>.<pid>.tmp`, then renamed; making that
// temporary a link to /dev/full makes the write to it fail exactly as a full disk would (only for
// content that is not empty: an empty write succeeds, and the link would be renamed into place).
const FULL_DEVICE = '/dev/full';
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-full-disk-'));
isolateSettings();
beforeAll(() => {
  if (!existsSync(FULL_DEVICE))
    throw new Error(`these tests write to ${FULL_DEVICE} (Linux) to get a real ENOSPC; it is missing here`);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fillsUp(path: string): void {
  symlinkSync(FULL_DEVICE, `${path}.${process.pid}.tmp`);
}

describe('errors from writing to an open file', () => {
  it('carry no path from Node, so onPath gives them the file: the error then names it and the setting', () => {
    const descriptor = openSync(FULL_DEVICE, 'w');
    let raw: unknown;
    try {
      writeSync(descriptor, 'x');
    } catch (error) {
      raw = error;
    } finally {
      closeSync(descriptor);
    }
    expect((raw as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect((raw as NodeJS.ErrnoException).path).toBeUndefined();
    expect(fileSystemError(raw)).toBeUndefined();

    let named: unknown;
    try {
      onPath('/srv/examples/q4.jsonl', () => {
        throw raw;
      });
    } catch (error) {
      named = error;
    }
    const mapped = fileSystemError(named, [
      { directory: '/srv/examples', setting: '--examples-dir / ANSWERKEY_EXAMPLES_DIR' },
    ]);
    expect(mapped?.code).toBe('storage_full');
    expect(mapped?.message).toBe('cannot write /srv/examples/q4.jsonl: no space left on the device');
    expect(mapped?.hint).toBe(
      'free some space, or set --examples-dir / ANSWERKEY_EXAMPLES_DIR to a folder you can write',
    );
  });

  it.each([
    ['EIO', 'the device reported an input/output error', 'file_system'],
    ['EDQUOT', 'the disk quota is used up', 'storage_full'],
    ['EFBIG', 'the file is larger than the file system allows', 'storage_full'],
  ])('maps %s', (code, reason, errorCode) => {
    const error = Object.assign(new Error(code), { code, syscall: 'write', path: '/srv/out/results.jsonl' });
    const mapped = fileSystemError(error);
    expect(mapped?.code).toBe(errorCode);
    expect(mapped?.message).toBe(`cannot write /srv/out/results.jsonl: ${reason}`);
  });
});

describe('a full disk', () => {
  it('answers POST /v1/examples with 507 problem+json, and logs the file', async () => {
    const examplesDirectory = join(scratch, 'server-examples');
    mkdirSync(examplesDirectory);
    fillsUp(join(examplesDirectory, 'q4.jsonl'));
    const server = await startTestServer({}, undefined, { examplesDirectory });
    try {
      const response = await server.post('/v1/examples', {
        questionId: 'q4',
        answer: 'Graph mode traces the function with tf.function.',
        score: 3,
      });
      expect(response.status).toBe(507);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = problemSchema.parse(await response.json());
      expect(problem.title).toBe('Insufficient storage');
      expect(problem.detail).toMatch(/^the server has no space left to write its files/);
      expect(problem.detail).not.toContain(examplesDirectory);
      expect(JSON.stringify(server.logs)).toContain(
        `cannot write ${join(examplesDirectory, 'q4.jsonl')}.${process.pid}.tmp: no space left on the device`,
      );
      expect(existsSync(join(examplesDirectory, 'q4.jsonl'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('fails `examples add` in one line naming the file and --examples-dir, exit 1', async () => {
    const examplesDirectory = join(scratch, 'cli-examples');
    mkdirSync(examplesDirectory);
    fillsUp(join(examplesDirectory, 'q4.jsonl'));
    const { code, err } = await runCliForTest([
      'examples',
      'add',
      '-i',
      'q4',
      '--score',
      '2',
      '--answer',
      'Eager runs ops at once.',
      '--examples-dir',
      examplesDirectory,
      '--index-dir',
      join(scratch, 'index'),
    ]);
    expect(code).toBe(1);
    expect(err).toBe(
      `answerkey: cannot write ${join(examplesDirectory, 'q4.jsonl')}.${process.pid}.tmp: no space left on the device\n` +
        '  hint: free some space, or set --examples-dir / ANSWERKEY_EXAMPLES_DIR to a folder you can write\n',
    );
  });

  it('fails a batch in one line naming the output file, exit 1, not "this is a bug"', async () => {
    const out = join(scratch, 'batch-out');
    mkdirSync(out);
    // Not errors.jsonl: it may be written empty, which /dev/full accepts, and then read back forever.
    fillsUp(join(out, 'candidates.csv'));
    const { code, err } = await runCliForTest([
      'batch',
      join(PACKAGE_ROOT, 'examples', 'answers.csv'),
      '--out',
      out,
      '--index-dir',
      join(scratch, 'index'),
    ]);
    expect(code).toBe(1);
    expect(err).not.toContain('this is a bug');
    expect(err).toContain(
      `\nanswerkey: cannot write ${join(out, 'candidates.csv')}.${process.pid}.tmp: no space left on the device\n  hint: free some space, or set --out to a folder you can write\n`,
    );
    expect(err.endsWith('--out to a folder you can write\n')).toBe(true);
  }, 60_000);
});
