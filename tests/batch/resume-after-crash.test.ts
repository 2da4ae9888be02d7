import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKey } from '../../src/batch/batch-answer.js';
import { readResultsFile, ResultsStore } from '../../src/batch/run/results-store.js';
import type { BatchRunResult } from '../../src/batch/run/run-batch.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { type BatchOptions, runQuietBatch, writeAnswersJsonl } from './batch-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-resume-'));
const { grader } = createTestGrader();
const input = join(scratch, 'answers.jsonl');
let total: number;
let complete: BatchRunResult;
const completeDir = join(scratch, 'complete');

function run(outDirectory: string, extra: Partial<BatchOptions> = {}) {
  return runQuietBatch({
    inputPath: input,
    outDirectory,
    concurrency: 3,
    grader,
    ...extra,
  });
}

function resultLines(directory: string): string[] {
  return readFileSync(join(directory, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
}

beforeAll(async () => {
  total = writeAnswersJsonl(input, 5, 4);
  complete = await run(completeDir);
});
afterAll(() => {
  grader.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('runBatch: a run that finishes', () => {
  it('grades every answer once and writes results, candidates.csv, report.html and errors.jsonl', () => {
    expect(complete.graded).toBe(total);
    expect(complete.alreadyDone).toBe(0);
    expect(complete.failed).toEqual([]);
    expect(resultLines(completeDir)).toHaveLength(total);
    for (const file of ['candidates.csv', 'report.html', 'errors.jsonl'])
      expect(existsSync(join(completeDir, file))).toBe(true);
    expect(existsSync(join(completeDir, 'batch.lock'))).toBe(false);
    expect(complete.summary.candidates).toHaveLength(5);
  });

  it('grades nothing on a rerun with the same folder', async () => {
    const again = await run(completeDir);
    expect(again.graded).toBe(0);
    expect(again.alreadyDone).toBe(total);
    expect(resultLines(completeDir)).toHaveLength(total);
  });
});

describe('runBatch: resume after a crash', () => {
  it('drops a torn last line, keeps the whole ones and grades only the rest: no duplicates, nothing lost', async () => {
    const crashed = join(scratch, 'crashed');
    mkdirSync(crashed);
    const lines = resultLines(completeDir);
    const kept = 7;
    // What kill -9 leaves: some whole lines, then half of the line being written.
    writeFileSync(join(crashed, 'results.jsonl'), `${lines.slice(0, kept).join('\n')}\n${lines[kept].slice(0, 180)}`);
    const notices: string[] = [];
    const resumed = await run(crashed, { notice: (message) => notices.push(message) });
    expect(notices.some((notice) => /results\.jsonl:8: a torn last line/.test(notice))).toBe(true);
    expect(resumed.alreadyDone).toBe(kept);
    expect(resumed.graded).toBe(total - kept);
    const after = resultLines(crashed);
    expect(after.slice(0, kept)).toEqual(lines.slice(0, kept));
    const rows = readResultsFile(join(crashed, 'results.jsonl')).rows;
    const keys = rows.map(answerKey);
    expect(new Set(keys).size).toBe(keys.length);
    const grades = (directory: string) =>
      new Set(
        readResultsFile(join(directory, 'results.jsonl')).rows.map(
          (row) => `${row.candidateId} ${row.questionKey} ${row.score}`,
        ),
      );
    expect(grades(crashed)).toEqual(grades(completeDir));
  });

  it('drops a damaged line in the middle and regrades that answer', async () => {
    const damaged = join(scratch, 'damaged');
    mkdirSync(damaged);
    const lines = resultLines(completeDir);
    writeFileSync(
      join(damaged, 'results.jsonl'),
      `${[...lines.slice(0, 3), '{"candidateId": "cand-001"}', ...lines.slice(4)].join('\n')}\n`,
    );
    const resumed = await run(damaged);
    expect(resumed.graded).toBe(1);
    const rows = readResultsFile(join(damaged, 'results.jsonl'));
    expect(rows.dropped).toEqual([]);
    expect(rows.rows).toHaveLength(total);
  });

  it('stops taking answers when asked to (Ctrl-C) and finishes them on the next run', async () => {
    const interrupted = join(scratch, 'interrupted');
    let started = 0;
    const first = await run(interrupted, {
      concurrency: 2,
      grader: {
        bank: grader.bank,
        config: grader.config,
        examples: grader.examples,
        grade: (request) => ((started += 1), grader.grade(request)),
      },
      shouldStop: () => started >= 6,
    });
    expect(first.interrupted).toBe(true);
    expect(first.graded).toBe(6);
    expect(first.remaining).toBe(total - 6);
    expect(resultLines(interrupted)).toHaveLength(6);
    const second = await run(interrupted);
    expect(second.alreadyDone).toBe(6);
    expect(second.graded).toBe(total - 6);
    expect(resultLines(interrupted)).toHaveLength(total);
  });

  it('grades an answer again when its text changed, and ranks with the newer grade', async () => {
    const changed = join(scratch, 'changed');
    await run(changed);
    const original = readFileSync(input, 'utf8');
    const rows = original.split('\n').filter(Boolean);
    const first = JSON.parse(rows[0]) as { answer: string };
    rows[0] = JSON.stringify({ ...first, answer: 'I do not know.' });
    writeFileSync(input, `${rows.join('\n')}\n`);
    try {
      const rerun = await run(changed);
      expect(rerun.graded).toBe(1);
      const candidate = rerun.summary.candidates.find((entry) => entry.candidateId === 'cand-001');
      expect([...(candidate?.answers.values() ?? [])].some((row) => row.answer === 'I do not know.')).toBe(true);
      expect(candidate?.answers.size).toBe(4);
    } finally {
      writeFileSync(input, original);
    }
  });
});

describe('ResultsStore', () => {
  it('keeps a whole last line that only lacks its newline, and appends after it', () => {
    const directory = join(scratch, 'no-newline');
    mkdirSync(directory);
    const [line] = resultLines(completeDir);
    writeFileSync(join(directory, 'results.jsonl'), line);
    const store = ResultsStore.open(directory, () => undefined);
    expect(store.grades.size).toBe(1);
    store.close();
    appendFileSync(join(directory, 'results.jsonl'), `${line}\n`);
    expect(resultLines(directory)).toEqual([line, line]);
  });

  it('keeps only the last grade of each answer when a regrade was killed before it could drop the old ones', () => {
    const directory = join(scratch, 'killed-regrade');
    mkdirSync(directory);
    const [first, second] = resultLines(completeDir);
    const regradedFirst = JSON.stringify({ ...JSON.parse(first), score: 0.5 });
    writeFileSync(join(directory, 'results.jsonl'), `${first}\n${second}\n${regradedFirst}\n`);
    ResultsStore.open(directory, () => undefined).close();
    expect(resultLines(directory)).toEqual([second, regradedFirst]);
  });
});
