import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/batch/input/read-input.js';
import { readRegularFile } from '../../src/batch/input/read-regular-file.js';
import { readTakeHomes } from '../../src/batch/input/read-take-homes.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-limits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function folder(): string {
  count += 1;
  const path = join(scratch, `take-homes-${count}`);
  mkdirSync(path);
  return path;
}

const GOOD = '## Q4\nEager mode runs each op at once; tf.function traces a graph for speed and export.\n';
const SECRET = 'root:x:0:0:the secret outside the take-home folder';

describe('take-homes: only regular files inside the folder are read', () => {
  it('refuses a symbolic link to a file outside the folder and never copies its text', async () => {
    const outside = join(scratch, 'passwd');
    writeFileSync(outside, `## Q4\n${SECRET}\n`);
    const directory = folder();
    writeFileSync(join(directory, 'alice.md'), GOOD);
    symlinkSync(outside, join(directory, 'bob.md'));
    const input = await readInput(directory, bank);
    expect(input.answers.map((answer) => answer.candidateId)).toEqual(['alice']);
    expect(input.problems).toEqual([
      expect.objectContaining({
        kind: 'unreadable_file',
        source: 'bob.md',
        reason: expect.stringMatching(/symbolic link .*outside the folder/),
      }),
    ]);
    expect(JSON.stringify(input)).not.toContain('secret outside');
  });

  it('follows a symbolic link to a file inside the folder', async () => {
    const directory = folder();
    mkdirSync(join(directory, 'files'));
    writeFileSync(join(directory, 'files', 'alice-final.md'), GOOD);
    symlinkSync(join(directory, 'files', 'alice-final.md'), join(directory, 'alice.md'));
    const input = await readInput(directory, bank);
    expect(input.answers.map((answer) => [answer.candidateId, answer.questionKey])).toEqual([['alice', 'q4']]);
  });

  it('refuses a link to /dev/zero and a FIFO without opening them (the read neither grows nor hangs)', async () => {
    const directory = folder();
    writeFileSync(join(directory, 'alice.md'), GOOD);
    symlinkSync('/dev/zero', join(directory, 'zed.md'));
    execFileSync('mkfifo', [join(directory, 'pipe.md')]);
    const input = await readInput(directory, bank);
    expect(input.answers.map((answer) => answer.candidateId)).toEqual(['alice']);
    expect(input.problems.map((problem) => [problem.source, problem.reason])).toEqual([
      ['pipe.md', 'a named pipe (FIFO), not a regular file'],
      ['zed.md', expect.stringMatching(/symbolic link to \/dev\/zero, outside the folder/)],
    ]);
  });

  it('never opens a device or a FIFO, even when named directly', () => {
    expect(readRegularFile('/dev/zero', 1024)).toEqual({ problem: 'a device, not a regular file' });
    const fifo = join(scratch, 'answers-pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect(readRegularFile(fifo, 1024)).toEqual({ problem: 'a named pipe (FIFO), not a regular file' });
  });

  it('refuses a CSV or JSONL INPUT that is a FIFO, in one line', async () => {
    const fifo = join(scratch, 'input-pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(readInput(fifo, bank)).rejects.toThrow(
      /cannot read .*input-pipe\.csv: a named pipe \(FIFO\), not a regular file/,
    );
  });

  it('refuses a file over the size cap, and text over the character cap, naming the limit', async () => {
    const directory = folder();
    writeFileSync(join(directory, 'alice.md'), GOOD);
    writeFileSync(join(directory, 'bob.md'), `${GOOD}${'padding '.repeat(400)}`);
    const bySize = await readTakeHomes(directory, bank, { maxBytes: 1024, maxCharacters: 1_000_000 });
    expect(bySize.answers.map((answer) => answer.candidateId)).toEqual(['alice']);
    expect(bySize.problems).toEqual([
      expect.objectContaining({
        source: 'bob.md',
        reason: expect.stringMatching(/^3\.\d KB, over the 1 KB a file may have$/),
      }),
    ]);
    const byText = await readTakeHomes(directory, bank, { maxBytes: 1_000_000, maxCharacters: 1_000 });
    expect(byText.problems).toEqual([
      expect.objectContaining({
        source: 'bob.md',
        reason: expect.stringMatching(/characters of text, over the 1,000 a take-home may have/),
      }),
    ]);
  });

  it('refuses a take-home that is not UTF-8 text rather than grading mojibake', async () => {
    const directory = folder();
    writeFileSync(
      join(directory, 'alice.md'),
      Buffer.concat([Buffer.from('## Q4\nEager mode '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(' runs now.\n')]),
    );
    const input = await readInput(directory, bank);
    expect(input.answers).toEqual([]);
    expect(input.problems).toEqual([
      expect.objectContaining({ source: 'alice.md', reason: expect.stringMatching(/not valid UTF-8/) }),
    ]);
  });
});

describe("answers over the API's limits go to errors.jsonl, never to the grader", () => {
  const long = `Eager mode runs ops at once. ${'Graph mode traces tf.function. '.repeat(1100)}`;

  it('reports a 33,000-character answer in a CSV and grades the rest', async () => {
    expect(long.length).toBeGreaterThan(33_000);
    const path = join(scratch, 'long.csv');
    writeFileSync(path, `candidate_id,question_id,answer\nalice,q4,"${long}"\nbob,q4,Eager runs now.\n`);
    const input = await readInput(path, bank);
    expect(input.answers.map((answer) => answer.candidateId)).toEqual(['bob']);
    expect(input.problems).toEqual([
      expect.objectContaining({
        kind: 'too_long',
        source: 'long.csv:2',
        candidateId: 'alice',
        reason: expect.stringMatching(/answer has 34,\d{3} characters, over the 20,000/),
      }),
    ]);
    expect(input.problems[0].excerpt!.length).toBeLessThanOrEqual(120);
  });

  it('reports a question or a reference over its limit in a JSONL', async () => {
    const path = join(scratch, 'long.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({
          candidate_id: 'carol',
          question: `What is a stack? ${'Explain. '.repeat(300)}`,
          reference_answer: 'LIFO.',
          answer: 'A LIFO list.',
        }),
        JSON.stringify({
          candidate_id: 'dan',
          question: 'What is a stack?',
          reference_answer: long,
          answer: 'A LIFO list.',
        }),
      ].join('\n'),
    );
    const input = await readInput(path, bank);
    expect(input.answers).toEqual([]);
    expect(input.problems.map((problem) => [problem.source, problem.kind, problem.reason.split(',')[0]])).toEqual([
      ['long.jsonl:1', 'too_long', 'the question has 2'],
      ['long.jsonl:2', 'too_long', 'the reference answer has 34'],
    ]);
  });

  it("reports a take-home section over the limit and grades the candidate's other answers", async () => {
    const directory = folder();
    writeFileSync(
      join(directory, 'alice.md'),
      `## Q4\n${long}\n\n## Q13\nDynamoDB for key lookups, Postgres for joins.\n`,
    );
    const input = await readInput(directory, bank);
    expect(input.answers.map((answer) => answer.questionKey)).toEqual(['q13']);
    expect(input.problems).toEqual([
      expect.objectContaining({ kind: 'too_long', source: 'alice.md:1', candidateId: 'alice', questionKey: 'q4' }),
    ]);
  });
});
