import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { problemSchema } from '../../src/server/api-schemas.js';
import { decodeUtf8Strict } from '../../src/text/utf8.js';
import { runCliForTest } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/test-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-utf8-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// "Eager runs ops" then a lone 0xff and a cut-short two-byte sequence: no UTF-8 encoder writes these.
const INVALID = Buffer.concat([
  Buffer.from('Eager mode runs ops at once.\nGraph mode '),
  Buffer.from([0xff, 0xc3]),
  Buffer.from(' compiles.\n'),
]);

describe('decodeUtf8Strict', () => {
  it('decodes UTF-8, a literal U+FFFD included', () => {
    expect(decodeUtf8Strict(Buffer.from('café � ok'), 'x')).toBe('café � ok');
  });

  it('refuses invalid bytes with the input and the first bad line, instead of replacing them', () => {
    let error: unknown;
    try {
      decodeUtf8Strict(INVALID, 'answer file a.md');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('invalid_encoding');
    expect((error as AnswerkeyError).message).toBe('answer file a.md is not valid UTF-8 (line 2)');
  });
});

describe('the CLI', () => {
  it("refuses an --answer-file that is not UTF-8: one line, exit 1 (the file's content is wrong)", async () => {
    const file = join(scratch, 'answer.md');
    writeFileSync(file, INVALID);
    const { code, out, err } = await runCliForTest([
      'grade',
      '-i',
      'q4',
      '--answer-file',
      file,
      '--index-dir',
      join(scratch, 'index'),
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `answerkey: answer file ${file} is not valid UTF-8 (line 2)\n  hint: save it as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`), or fix the bytes on that line\n`,
    );
  });

  it('refuses standard input that is not UTF-8 (the compiled CLI)', () => {
    const result = spawnSync(
      process.execPath,
      [join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'), 'grade', '-i', 'q4', '--index-dir', join(scratch, 'index')],
      { input: INVALID, encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('answerkey: the answer on standard input is not valid UTF-8 (line 2)');
  });
});

describe('the HTTP API', () => {
  const post = (url: string, path: string, body: Buffer, contentType = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const jsonWith = (prefix: string, suffix: string) =>
    Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xc3]), Buffer.from(suffix)]);

  it('refuses a body that is not UTF-8 with 400 naming the field, for a grade and a batch item', async () => {
    const server = await startTestServer();
    try {
      const single = await post(
        server.url,
        '/v1/grade',
        jsonWith('{"questionId":"q4","answer":"Graph mode ', ' compiles."}'),
      );
      expect(single.status).toBe(400);
      const problem = problemSchema.parse(await single.json());
      expect(problem.errors).toEqual([{ path: 'answer', message: 'is not valid UTF-8' }]);
      expect(problem.detail).toBe('answer: not valid UTF-8 (send the body encoded as UTF-8)');

      const batch = await post(
        server.url,
        '/v1/grade/batch',
        jsonWith('{"items":[{"questionId":"q4","answer":"fine"},{"questionId":"q4","answer":"x ', '"}]}'),
      );
      expect(batch.status).toBe(400);
      expect(problemSchema.parse(await batch.json()).errors).toEqual([
        { path: 'items[1].answer', message: 'is not valid UTF-8' },
      ]);

      // Valid UTF-8, a literal U+FFFD and a UTF-16 body included, is graded.
      expect(
        (await post(server.url, '/v1/grade', Buffer.from('{"questionId":"q4","answer":"Graph mode � compiles."}')))
          .status,
      ).toBe(200);
      const utf16 = Buffer.from('{"questionId":"q4","answer":"Graph mode compiles."}', 'utf16le');
      expect((await post(server.url, '/v1/grade', utf16, 'application/json; charset=utf-16le')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
