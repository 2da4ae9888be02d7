import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersToGrade, describeRegrade } from '../../src/batch/run/answers-to-grade.js';
import type { StoredGrade } from '../../src/batch/result-row.js';
import { answerKey, createBatchAnswer } from '../../src/batch/batch-answer.js';
import type { GradedWith } from '../../src/batch/grading-fingerprint.js';
import { planBatch } from '../../src/batch/run/plan-batch.js';
import { readResultsFile } from '../../src/batch/run/results-store.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import type { ConfigOverrides } from '../../src/config/config.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';
import { runQuietBatch, writeAnswersJsonl } from './batch-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-stale-'));
const input = join(scratch, 'answers.jsonl');
const indexDirectory = join(scratch, 'index');
const bankDirectory = join(scratch, 'rubrics');
const examplesDirectory = join(scratch, 'examples');
const graders: { close: () => void }[] = [];
let total: number;

function graderWith(overrides: ConfigOverrides = {}) {
  const { grader } = createTestGrader({ indexDirectory, bankDirectory, examplesDirectory, ...overrides });
  graders.push(grader);
  return grader;
}

function run(outDirectory: string, grader: ReturnType<typeof graderWith>) {
  return runQuietBatch({
    inputPath: input,
    outDirectory,
    grader,
  });
}

function rows(directory: string) {
  return readResultsFile(join(directory, 'results.jsonl')).rows;
}

beforeAll(() => {
  cpSync(DEFAULT_PATHS.bankDirectory, bankDirectory, { recursive: true });
  // Three candidates × q1, q2, q3.
  total = writeAnswersJsonl(input, 3, 3);
});
afterAll(() => {
  for (const grader of graders) grader.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a rerun after the grading settings changed', () => {
  it('regrades every answer when the scorer weights changed, says why, and keeps one grade per answer', async () => {
    const out = join(scratch, 'weights');
    expect((await run(out, graderWith())).graded).toBe(total);
    const before = rows(out);
    const weights = JSON.parse(readFileSync(DEFAULT_PATHS.weightsPath, 'utf8')) as { intercept: number };
    const calibrated = join(scratch, 'calibrated.json');
    writeFileSync(calibrated, JSON.stringify({ ...weights, intercept: weights.intercept + 0.2 }));
    const calibratedGrader = graderWith({ weightsPath: calibrated });

    const plan = await planBatch(input, out, calibratedGrader);
    expect([plan.alreadyDone, plan.toGrade, plan.regrade.regraded]).toEqual([0, total, total]);
    expect(rows(out)).toEqual(before);

    const rerun = await run(out, calibratedGrader);
    expect(rerun.graded).toBe(total);
    expect(rerun.alreadyDone).toBe(0);
    expect(describeRegrade(rerun.regrade)).toBe(
      `${total} answers regraded: the scorer weights changed (${total}) since they were graded`,
    );
    const after = rows(out);
    expect(after).toHaveLength(total);
    expect(new Set(after.map(answerKey)).size).toBe(total);
    for (const row of after) expect(row.gradedWith?.weights).not.toBe(before[0].gradedWith?.weights);

    const third = await run(out, calibratedGrader);
    expect([third.graded, third.alreadyDone, third.regrade.regraded]).toEqual([0, total, 0]);
  });

  it('regrades only the answers to a question whose graded examples changed', async () => {
    const out = join(scratch, 'examples');
    const grader = graderWith();
    await run(out, grader);
    await grader.addExamples([
      { questionId: 'q2', answer: 'We added print statements until the leak showed itself.', score: 1 },
    ]);
    const rerun = await run(out, graderWith());
    expect(rerun.graded).toBe(3);
    expect(rerun.alreadyDone).toBe(total - 3);
    expect(describeRegrade(rerun.regrade)).toBe(
      '3 answers regraded: the graded examples of q2 changed (3) since they were graded',
    );
  });

  it('regrades only the answers to a question whose rubric was edited', async () => {
    const out = join(scratch, 'rubric');
    await run(out, graderWith({ examplesDirectory: join(scratch, 'no-examples') }));
    const rubric = join(bankDirectory, 'q3.yaml');
    writeFileSync(rubric, readFileSync(rubric, 'utf8').replace(/^maxScore: 5$/m, 'maxScore: 10'));
    try {
      const rerun = await run(out, graderWith({ examplesDirectory: join(scratch, 'no-examples') }));
      expect(rerun.graded).toBe(3);
      expect(describeRegrade(rerun.regrade)).toBe(
        '3 answers regraded: the rubric of q3 changed (3) since they were graded',
      );
      expect(
        rows(out)
          .filter((row) => row.questionId === 'q3')
          .map((row) => row.maxScore),
      ).toEqual([10, 10, 10]);
    } finally {
      cpSync(join(DEFAULT_PATHS.bankDirectory, 'q3.yaml'), rubric);
    }
  });

  it('regrades local grades from before the settings were recorded', async () => {
    const out = join(scratch, 'unrecorded');
    const grader = graderWith({ examplesDirectory: join(scratch, 'no-examples') });
    await run(out, grader);
    const path = join(out, 'results.jsonl');
    const stripped = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const { gradedWith: _dropped, ...row } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(row);
      });
    writeFileSync(path, `${stripped.join('\n')}\n`);
    const rerun = await run(out, grader);
    expect(rerun.graded).toBe(total);
    expect(describeRegrade(rerun.regrade)).toBe(
      `${total} answers regraded: graded by an earlier version that did not record its settings (${total})`,
    );
    expect(rows(out).every((row) => row.gradedWith !== undefined)).toBe(true);
  });
});

describe('a rerun of questions given by their text', () => {
  const byText = join(scratch, 'by-text.jsonl');
  const fixtures = loadCandidateAnswers();
  beforeAll(() => {
    const rows = [
      { candidate_id: 'ann', question: fixtures.q4.paraphraseQuestion, answer: fixtures.q4.paraphrase },
      { candidate_id: 'bob', question: fixtures.q5.paraphraseQuestion, answer: fixtures.q5.paraphrase },
      { candidate_id: 'cy', question_id: 'q4', answer: fixtures.q4.partial },
    ];
    writeFileSync(byText, rows.map((row) => JSON.stringify(row)).join('\n'));
  });
  const runText = (outDirectory: string, grader: ReturnType<typeof graderWith>) =>
    runQuietBatch({
      inputPath: byText,
      outDirectory,
      grader,
    });
  const noExamples = { examplesDirectory: join(scratch, 'no-examples') };

  it('regrades only those answers when --match-threshold changed, since the match depends on it', async () => {
    const out = join(scratch, 'threshold');
    expect((await runText(out, graderWith(noExamples))).graded).toBe(3);
    expect(rows(out).map((row) => row.gradedWith?.matchThreshold)).toEqual([0.38, 0.38, undefined]);

    const plan = await planBatch(byText, out, graderWith({ ...noExamples, matchThreshold: 0.9 }));
    expect([plan.alreadyDone, plan.toGrade]).toEqual([1, 2]);
    expect(describeRegrade(plan.regrade, 'to grade again')).toBe(
      '2 answers to grade again: the match threshold changed for q4, q5 (2) since they were graded',
    );
    expect((await planBatch(byText, out, graderWith(noExamples))).toGrade).toBe(0);
  });

  it('does not regrade for --examples 0 when the questions have no graded examples: none were used either way', async () => {
    const out = join(scratch, 'examples-off');
    await runText(out, graderWith(noExamples));
    expect(new Set(rows(out).map((row) => row.gradedWith?.examples))).toEqual(new Set(['none']));
    const plan = await planBatch(byText, out, graderWith({ ...noExamples, exampleCount: 0 }));
    expect([plan.alreadyDone, plan.toGrade]).toEqual([3, 0]);
  });
});

describe('answersToGrade', () => {
  const answer = createBatchAnswer('ann', { questionId: 'q4' }, 'Eager runs ops at once.', 'a.csv:2');
  const now: GradedWith = { scorer: 'llm:gpt-4o-mini', weights: 'w1', question: 'r1', examples: 'e1' };
  const stored = (grade: StoredGrade) => new Map([[answerKey(answer), grade]]);

  it('keeps a model grade of a question given by text from before the match threshold was recorded, and regrades a local one', () => {
    const byText = createBatchAnswer(
      'ann',
      { question: 'How do eager and graph mode differ?' },
      'Eager runs ops at once.',
      'a.csv:2',
    );
    const withThreshold = { ...now, matchThreshold: 0.38 };
    const old = (mode: 'llm' | 'local') => new Map([[answerKey(byText), { mode, questionId: 'q4', gradedWith: now }]]);
    expect(answersToGrade([byText], old('llm'), 'llm', () => withThreshold).keptUnrecorded).toBe(1);
    const local = answersToGrade([byText], old('local'), 'local', () => ({ ...withThreshold, scorer: 'local' }));
    expect([local.pending.length, local.reasons.map((entry) => entry.reason)]).toEqual([1, ['unrecorded']]);
  });

  it('keeps a model grade with no record of its settings rather than paying for it again, and says so', () => {
    const plan = answersToGrade([answer], stored({ mode: 'llm', questionId: 'q4' }), 'llm', () => now);
    expect([plan.pending.length, plan.keptUnrecorded]).toEqual([0, 1]);
  });

  it('keeps a model grade in a local run even when the local weights, rubric or examples changed: it was paid for', () => {
    const graded = stored({ mode: 'llm', questionId: 'q4', gradedWith: now });
    const changed = { ...now, scorer: 'local', weights: 'w2', question: 'r2', examples: 'e2' };
    expect(answersToGrade([answer], graded, 'local', () => changed)).toMatchObject({
      pending: [],
      alreadyDone: 1,
      regraded: 0,
    });
    expect(
      answersToGrade([answer], graded, 'llm', () => ({ ...now, question: 'r2' })).reasons.map((entry) => entry.reason),
    ).toEqual(['question']);
  });

  it('regrades a model grade from another model in an LLM run, but keeps it in a local run', () => {
    const other = stored({ mode: 'llm', questionId: 'q4', gradedWith: { ...now, scorer: 'llm:gpt-4o' } });
    expect(answersToGrade([answer], other, 'llm', () => now).reasons.map((entry) => entry.reason)).toEqual(['scorer']);
    expect(answersToGrade([answer], other, 'local', () => ({ ...now, scorer: 'local' })).pending).toEqual([]);
  });
});
