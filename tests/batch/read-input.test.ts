import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/batch/input/read-input.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function file(name: string, content: string): string {
  count += 1;
  const directory = join(scratch, String(count));
  mkdirSync(directory);
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const GOOD = 'Eager mode runs each op immediately; graph mode traces the function with tf.function for speed.';

describe('readInput: CSV', () => {
  it('reads one answer per row, with a quoted answer over several lines and the line it starts on', async () => {
    const path = file(
      'answers.csv',
      `candidate_id,question_id,answer\nalice,q4,"${GOOD}"\nbob,Q4,"First line,\nsecond line with ""quotes"""\ncarol,q13,Postgres for joins\n`,
    );
    const { kind, answers, problems } = await readInput(path, bank);
    expect(kind).toBe('csv');
    expect(problems).toEqual([]);
    expect(answers.map((answer) => [answer.candidateId, answer.questionKey, answer.source])).toEqual([
      ['alice', 'q4', 'answers.csv:2'],
      ['bob', 'q4', 'answers.csv:3'],
      ['carol', 'q13', 'answers.csv:5'],
    ]);
    expect(answers[1].answer).toBe('First line,\nsecond line with "quotes"');
    expect(answers[0].answerSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts headers as people write them, a BOM and CRLF line ends', async () => {
    const path = file('answers.csv', `\uFEFFCandidate ID,questionId,Answer\r\nalice,q4,${GOOD}\r\n`);
    const { answers, problems } = await readInput(path, bank);
    expect(problems).toEqual([]);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ candidateId: 'alice', questionKey: 'q4', answer: GOOD });
  });

  it('reports rows with bad quoting by line and reads the rows after them', async () => {
    const path = file(
      'answers.csv',
      [
        'candidate_id,question_id,answer',
        `alice,q4,"${GOOD}"`,
        'bob,q4,"He said "hi" and left"',
        'carol,q4,an "inner" quote',
        `dan,q4,"${GOOD}"`,
        '',
      ].join('\n'),
    );
    const { answers, problems } = await readInput(path, bank);
    expect(answers.map((answer) => answer.candidateId)).toEqual(['alice', 'dan']);
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'malformed_row',
        source: 'answers.csv:3',
        reason: expect.stringMatching(/quot/),
      }),
      expect.objectContaining({
        kind: 'malformed_row',
        source: 'answers.csv:4',
        reason: expect.stringMatching(/quot/),
      }),
    ]);
  });

  it('reports a quote that is never closed, with the lines it swallowed', async () => {
    const path = file(
      'answers.csv',
      `candidate_id,question_id,answer\nalice,q4,"${GOOD}"\nbob,q4,"never closed\ncarol,q4,ok\n`,
    );
    const { answers, problems } = await readInput(path, bank);
    expect(answers.map((answer) => answer.candidateId)).toEqual(['alice']);
    expect(problems).toHaveLength(1);
    expect(problems[0].source).toMatch(/^answers\.csv:3-\d+$/);
    expect(problems[0].reason).toMatch(/never closed/);
  });

  it('refuses a file whose header lacks a required column, naming it', async () => {
    const path = file('answers.csv', 'candidate_id,text\nalice,hello\n');
    await expect(readInput(path, bank)).rejects.toThrow(AnswerkeyError);
    try {
      await readInput(path, bank);
    } catch (error) {
      // The file's content is wrong, as when every row is bad: exit 1, not a usage mistake.
      expect((error as AnswerkeyError).code).toBe('dataset_invalid');
      expect((error as AnswerkeyError).message).toMatch(/answer/);
      expect((error as AnswerkeyError).message).toMatch(/question_id/);
      expect((error as AnswerkeyError).hint).toMatch(/candidate_id/);
    }
  });

  it('reports a row with too few or too many fields, a missing candidate and an unknown question, and keeps an empty answer to grade', async () => {
    const path = file(
      'answers.csv',
      [
        'candidate_id,question_id,answer',
        'alice,q4',
        `bob,q4,${GOOD},extra`,
        'carol,q4,"   "',
        `,q4,${GOOD}`,
        `erin,q99,${GOOD}`,
        `frank,q4,${GOOD},`,
      ].join('\n'),
    );
    const { answers, problems } = await readInput(path, bank);
    expect(answers.map((answer) => [answer.candidateId, answer.answer])).toEqual([
      ['carol', '   '],
      ['frank', GOOD],
    ]);
    expect(problems.map((problem) => [problem.source, problem.kind])).toEqual([
      ['answers.csv:2', 'malformed_row'],
      ['answers.csv:3', 'malformed_row'],
      ['answers.csv:5', 'missing_field'],
      ['answers.csv:6', 'unknown_question'],
    ]);
    expect(problems[0].reason).toMatch(/expected 3 fields/);
    expect(problems[2].reason).toMatch(/candidate_id/);
    expect(problems[3].reason).toMatch(/q99/);
    expect(problems[3].candidateId).toBe('erin');
  });

  it('keys an ad-hoc question by its text and reference, and needs the question for a reference', async () => {
    const path = file(
      'answers.csv',
      [
        'candidate_id,question,reference_answer,answer,max_score',
        'alice,What is a stack?,"A last-in, first-out list.",LIFO,10',
        'bob,What is a stack?,"A last-in, first-out list.",Push and pop,',
        'carol,,"A last-in, first-out list.",LIFO,',
      ].join('\n'),
    );
    const { answers, problems } = await readInput(path, bank);
    expect(answers).toHaveLength(2);
    expect(answers[0].questionKey).toMatch(/^adhoc-[0-9a-f]{10}$/);
    expect(answers[1].questionKey).toBe(answers[0].questionKey);
    expect(answers[0].questionRef).toEqual({
      question: 'What is a stack?',
      referenceAnswer: 'A last-in, first-out list.',
      maxScore: 10,
    });
    expect(problems).toEqual([expect.objectContaining({ kind: 'missing_field', source: 'answers.csv:4' })]);
  });

  it('grades only the first of two answers by one candidate to one question, and reports the second', async () => {
    const path = file('answers.csv', `candidate_id,question_id,answer\nalice,q4,${GOOD}\nalice,q4,Something else\n`);
    const { answers, problems } = await readInput(path, bank);
    expect(answers).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'duplicate_answer',
        source: 'answers.csv:3',
        reason: expect.stringContaining('answers.csv:2'),
      }),
    ]);
  });
});

describe('readInput: JSONL', () => {
  it("reads rows with the CSV's fields and reports broken lines by number", async () => {
    const path = file(
      'answers.jsonl',
      [
        JSON.stringify({ candidate_id: 'alice', question_id: 'q4', answer: GOOD }),
        '',
        '{"candidate_id": "bob", "question_id": "q4", "answer": "unterminated',
        JSON.stringify({ candidateId: 7, questionId: 'q13', answer: 'Postgres for joins' }),
        JSON.stringify({ candidate_id: 'dan', answer: GOOD }),
        JSON.stringify({ candidate_id: 'erin', question_id: 'q4', answer: null }),
        JSON.stringify(['not', 'an', 'object']),
      ].join('\n'),
    );
    const { kind, answers, problems } = await readInput(path, bank);
    expect(kind).toBe('jsonl');
    expect(answers.map((answer) => [answer.candidateId, answer.questionKey, answer.source])).toEqual([
      ['alice', 'q4', 'answers.jsonl:1'],
      ['7', 'q13', 'answers.jsonl:4'],
    ]);
    expect(problems.map((problem) => [problem.source, problem.kind])).toEqual([
      ['answers.jsonl:3', 'malformed_row'],
      ['answers.jsonl:5', 'missing_field'],
      ['answers.jsonl:6', 'missing_field'],
      ['answers.jsonl:7', 'malformed_row'],
    ]);
    expect(problems[0].reason).toBe('not valid JSON');
    expect(problems[1].reason).toMatch(/question_id/);
    expect(problems[2].reason).toMatch(/answer/);
  });
});

describe('readInput: errors', () => {
  it('refuses a missing path and an unknown extension with a hint', async () => {
    await expect(readInput(join(scratch, 'nope.csv'), bank)).rejects.toThrow(/no such file/);
    const path = file('answers.xlsx', 'x');
    await expect(readInput(path, bank)).rejects.toThrow(/cannot tell the format/);
  });
});
