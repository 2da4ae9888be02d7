import { describe, expect, it } from 'vitest';
import type { DatasetRow } from '../../src/evaluation/dataset.js';
import { chooseExamples, foldGroupOf } from '../../src/evaluation/evaluation-folds.js';
import { evaluateRows } from '../../src/evaluation/run-evaluation.js';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

const QUESTIONS = [
  {
    id: '1.1',
    question: 'What does a stack do?',
    reference: 'A stack stores items last in, first out: push adds on top and pop removes the top item.',
    answers: [
      'It is last in first out; you push onto the top and pop from the top.',
      'LIFO collection with push and pop at one end.',
      'Items are stored and the newest one is removed first.',
      'A stack is like a queue.',
      'First in, first out.',
      'It stores things.',
      'Push and pop.',
      'It sorts the items by size.',
    ],
  },
  {
    id: '1.2',
    question: 'What is a binary search tree?',
    reference: 'A binary tree where every left descendant is smaller and every right descendant larger than its node.',
    answers: [
      'Each node has smaller values on the left and larger on the right.',
      'A tree with two children per node, left smaller, right bigger.',
      'A binary tree that keeps keys in order.',
      'A tree used for searching.',
      'A list of sorted numbers.',
      'A graph with cycles.',
      'Left is smaller.',
      'A hash table.',
    ],
  },
  {
    id: '2.1',
    question: 'Why use a hash table?',
    reference: 'Lookups, inserts and deletes take constant time on average because keys are hashed to buckets.',
    answers: [
      'Average constant time lookup and insert by hashing keys into buckets.',
      'Fast lookups, O(1) on average.',
      'Keys are hashed so finding them is quick.',
      'To keep keys sorted.',
      'It uses less memory than an array.',
      'Because it is a tree.',
      'Hashing.',
      'For recursion.',
    ],
  },
];

function dataset(
  scoreOf: (question: number, answer: number) => number = (question, answer) =>
    Math.max(0, 5 - answer * 0.7 - question * 0.1),
): DatasetRow[] {
  return QUESTIONS.flatMap((entry, question) =>
    entry.answers.map((answer, index) => ({
      dataset: 'toy',
      question_id: entry.id,
      question: entry.question,
      reference_answer: entry.reference,
      answer_id: `${entry.id}-${index}`,
      answer,
      score: Math.round(scoreOf(question, index) * 10) / 10,
      max_score: 5,
    })),
  );
}

const predictions = (result: Awaited<ReturnType<typeof evaluateRows>>) =>
  new Map(result.rows.map((scored) => [scored.row.answer_id, scored.predicted]));

describe('choosing graded examples', () => {
  const groups = new Map([
    ['a', [0, 1, 2, 3, 4, 5]],
    ['b', [6, 7, 8]],
  ]);

  it('takes the same K answers of every question for the same seed, and others for another seed', () => {
    const first = chooseExamples(groups, 2, 1);
    expect([...first].filter((index) => index < 6)).toHaveLength(2);
    expect([...first].filter((index) => index >= 6)).toHaveLength(2);
    expect(chooseExamples(groups, 2, 1)).toEqual(first);
    const others = [2, 3, 4, 5, 6].map((seed) => [...chooseExamples(groups, 2, seed)].sort().join());
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});

describe('fold groups', () => {
  it('holds out a question, or its whole assignment (the id before the last dot)', () => {
    const row = dataset()[0];
    expect(foldGroupOf(row, 'question')).toBe('toy/1.1');
    expect(foldGroupOf(row, 'assignment')).toBe('toy/1');
    expect(foldGroupOf({ ...row, assignment: 'week-3' } as DatasetRow, 'assignment')).toBe('toy/week-3');
  });
});

describe('the grades the report shows', () => {
  it("read at the protocol's own score, under folds and with examples", async () => {
    for (const options of [{ folds: 'all' as const }, { folds: 'all' as const, shots: 3, seeds: [5] }]) {
      const result = await evaluateRows(dataset(), { bank: grader.bank, scorer: grader.scorer, ...options });
      for (const answer of result.summary.answers) {
        expect(answer.grade.score).toBeCloseTo(answer.predicted, 1);
        const moved = answer.grade.rationale.match(/(?:moved|recalibrated) it to (\d+(?:\.\d+)?)/);
        if (options.shots && !answer.grade.flags.includes('empty'))
          expect(Number(moved?.[1]), answer.grade.rationale).toBeCloseTo(answer.predicted, 1);
      }
    }
  });
});

describe('evaluation protocols: nothing fitted sees the answers it scores', () => {
  it("with folds, a question's own grades do not change its predictions", async () => {
    const base = await evaluateRows(dataset(), { bank: grader.bank, scorer: grader.scorer, folds: 'all' });
    const inverted = await evaluateRows(
      dataset((question, answer) => (question === 0 ? answer * 0.6 : Math.max(0, 5 - answer * 0.7 - question * 0.1))),
      {
        bank: grader.bank,
        scorer: grader.scorer,
        folds: 'all',
      },
    );
    const before = predictions(base);
    const after = predictions(inverted);
    for (const [id, predicted] of before) if (id?.startsWith('1.1-')) expect(after.get(id)).toBeCloseTo(predicted, 9);
    // …while the other questions, whose training data changed, do move.
    expect(
      [...before].some(
        ([id, predicted]) => !id?.startsWith('1.1-') && Math.abs((after.get(id) ?? 0) - predicted) > 1e-6,
      ),
    ).toBe(true);
    expect(base.folds).toBe(3);
  });

  it("with shots, examples are never scored, and an answer's own grade does not change its prediction", async () => {
    const options = { bank: grader.bank, scorer: grader.scorer, folds: 'all' as const, shots: 3, seeds: [7, 8] };
    const result = await evaluateRows(dataset(), options);
    expect(result.runs.map((run) => run.seed)).toEqual([7, 8]);
    for (const run of result.runs) {
      expect(run.rows).toHaveLength(QUESTIONS.length * 5);
      for (const { row, assessment } of run.rows) {
        expect(assessment.examples).toHaveLength(assessment.cap > 0 ? 3 : 0);
        const exampleRows = assessment.examples.map((example) => dataset()[Number(example.id.slice(4)) - 1]);
        for (const example of exampleRows) {
          expect(example.question_id).toBe(row.question_id);
          expect(example.answer_id).not.toBe(row.answer_id);
        }
      }
    }
    const scored = result.runs[0].rows[0].row;
    const changed = await evaluateRows(
      dataset().map((row) => (row.answer_id === scored.answer_id ? { ...row, score: 5 - row.score } : row)),
      options,
    );
    expect(predictions(changed).get(scored.answer_id)).toBeCloseTo(predictions(result).get(scored.answer_id) ?? -1, 9);
    // Two seeds over different examples: the spread is the runs' own.
    const pearsons = result.runs.map((run) => run.overall.pearson);
    expect(result.summary.overall.pearson.mean).toBeCloseTo((pearsons[0] + pearsons[1]) / 2, 9);
    expect(result.summary.overall.pearson.sd).toBeCloseTo(Math.abs(pearsons[0] - pearsons[1]) / 2, 9);
    expect(result.summary.protocol).toMatchObject({ shots: 3, seeds: [7, 8], folds: 3, foldBy: 'question' });
  });
});
