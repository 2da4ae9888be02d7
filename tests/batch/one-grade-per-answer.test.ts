import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultsFile } from '../../src/batch/run/results-store.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { runQuietBatch } from './batch-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-one-grade-'));
const { grader } = createTestGrader();
afterAll(() => {
  grader.close();
  rmSync(scratch, { recursive: true, force: true });
});

const run = (inputPath: string, outDirectory: string) =>
  runQuietBatch({
    inputPath,
    outDirectory,
    grader,
  });

const csv = (bobAnswer: string) =>
  `candidate_id,question_id,answer\nalice,q4,Eager runs each op at once; tf.function builds a graph for deployment.\nbob,q4,${bobAnswer}\nbob,q13,Postgres for joins and transactions; DynamoDB for key lookups at scale.\n`;

describe('results.jsonl after an answer is edited and the batch run again', () => {
  it("holds one grade per answer, the edited answer's, and the report counts it", async () => {
    const input = join(scratch, 'answers.csv');
    const out = join(scratch, 'edited');
    writeFileSync(input, csv('Graph mode is faster.'));
    expect((await run(input, out)).graded).toBe(3);
    writeFileSync(
      input,
      csv(
        'Eager mode runs each op immediately for debugging; graph mode traces tf.function into a graph for speed and SavedModel export.',
      ),
    );
    const rerun = await run(input, out);
    expect([rerun.graded, rerun.alreadyDone]).toEqual([1, 2]);
    const { rows } = readResultsFile(join(out, 'results.jsonl'));
    expect(rows.map((row) => `${row.candidateId}/${row.questionKey}`).sort()).toEqual([
      'alice/q4',
      'bob/q13',
      'bob/q4',
    ]);
    expect(rows.find((row) => row.candidateId === 'bob' && row.questionKey === 'q4')!.answer).toMatch(
      /^Eager mode runs/,
    );
    expect(rerun.summary.answerCount).toBe(3);
  });

  it("compacts a results.jsonl holding two grades of one candidate's question (left by an earlier version) to the later one", async () => {
    const input = join(scratch, 'answers-2.csv');
    const out = join(scratch, 'left-over');
    writeFileSync(input, csv('Graph mode is faster.'));
    await run(input, out);
    const path = join(out, 'results.jsonl');
    const old = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const bob = old.find((row) => row.candidateId === 'bob' && row.questionKey === 'q4')!;
    // An older grade of another text of bob's q4, written after: the later line wins.
    appendFileSync(
      path,
      `${JSON.stringify({ ...bob, answer: 'Graph mode compiles.', answerSha256: 'a'.repeat(64) })}\n`,
    );
    await run(input, out);
    const { rows } = readResultsFile(path);
    expect(rows).toHaveLength(3);
  });
});
