import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { runRubricTests, spearman, unmetExpectations } from '../../src/rubric-tests/index.js';
import { rubricSchema, type Rubric } from '../../src/rubrics/rubric-schema.js';
import { runCliForTest } from '../helpers/run-cli.js';

const rubric: Rubric = rubricSchema.parse({
  id: 'stack',
  question: 'What is a stack?',
  referenceAnswer: 'A stack is a last-in, first-out collection: you push onto the top and pop from the top.',
  keyPoints: [
    { id: 'lifo', text: 'A stack is last-in, first-out' },
    { id: 'push', text: 'Push adds an item to the top' },
    { id: 'pop', text: 'Pop removes the item on the top' },
  ],
  tests: [
    { id: 'strong', kind: 'strong', answer: 'LIFO: push onto the top, pop from the top.' },
    {
      id: 'wrong',
      kind: 'wrong',
      answer: 'A stack is first-in, first-out.',
      expect: { keyPoints: { lifo: 'not-covered' }, flags: ['contradicts_reference'] },
    },
  ],
});

function gradeOf(
  score: number,
  statuses: Record<string, Grade['keyPoints'][number]['status']>,
  flags: Grade['flags'] = [],
): Grade {
  return {
    questionId: 'stack',
    score,
    maxScore: 5,
    normalizedScore: score / 5,
    band: 'fair',
    rationale: '',
    keyPoints: Object.entries(statuses).map(([id, status]) => ({ id, text: id, status, evidence: null })),
    confidence: 0.5,
    mode: 'local',
    reference: { questionId: 'stack', similarity: 1 },
    flags,
    misconceptions: [],
  };
}

describe('rubric test expectations', () => {
  it("holds a test without a range to its kind's default range", () => {
    const [strong, wrong] = rubric.tests;
    expect(unmetExpectations(strong, gradeOf(4.2, {}))).toEqual([]);
    expect(unmetExpectations(strong, gradeOf(3.5, {}))).toEqual(['score 3.5 is outside 4–5']);
    expect(unmetExpectations(wrong, gradeOf(2.5, { lifo: 'missing' }, ['contradicts_reference']))).toEqual([
      'score 2.5 is outside 0–2',
    ]);
  });

  it('names each key point and flag the grade misses', () => {
    const wrong = rubric.tests[1];
    expect(unmetExpectations(wrong, gradeOf(0.5, { lifo: 'covered' }))).toEqual([
      'key point lifo is covered, expected not-covered',
      'flag contradicts_reference is missing',
    ]);
    expect(unmetExpectations(wrong, gradeOf(0.5, { lifo: 'partial' }, ['contradicts_reference']))).toEqual([]);
  });
});

describe('running the tests', () => {
  it('grades each test once, counts failures and summarises by kind', async () => {
    const graded: string[] = [];
    const report = await runRubricTests([rubric], async (_, answer) => {
      graded.push(answer);
      return answer.startsWith('LIFO') ? gradeOf(4.5, { lifo: 'covered' }) : gradeOf(3, { lifo: 'covered' });
    });
    expect(graded).toEqual(rubric.tests.map((test) => test.answer));
    expect(report.failed).toBe(1);
    expect(report.results[1].problems).toContain('key point lifo is covered, expected not-covered');
    expect(report.byKind.map(({ kind, meanOutOfFive }) => [kind, meanOutOfFive])).toEqual([
      ['strong', 4.5],
      ['wrong', 3],
    ]);
  });

  it("computes Spearman's rho with ties sharing their rank", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBeCloseTo(-1);
    expect(spearman([1, 1, 2, 2], [1, 2, 3, 4])).toBeCloseTo(0.894, 3);
    expect(spearman([1, 2], [1, 2])).toBeNull();
  });
});

describe('answerkey rubric test', () => {
  function bankWith(tests: unknown[]): string {
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-rubric-tests-'));
    const yaml = JSON.stringify({ ...rubric, tests });
    writeFileSync(join(directory, 'stack.yaml'), yaml);
    return directory;
  }

  it('exits 1 and lists the failing test with what it expected', async () => {
    const bank = bankWith([
      {
        id: 'too-strict',
        kind: 'weak',
        answer: 'A stack is last-in, first-out: push adds to the top, pop removes the top.',
        expect: { score: [0, 0.5] },
      },
    ]);
    const run = await runCliForTest(['rubric', 'test', '--bank', bank]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/✘ stack\/too-strict \(weak\) [\d.]+ \/ 5: score [\d.]+ is outside 0–0.5/);
    expect(run.err).toContain('1 of 1 rubric test failed');
  });

  it('exits 0 when every test passes, and prints the summary by kind', async () => {
    const bank = bankWith([{ id: 'empty-ish', kind: 'weak', answer: 'No idea, sorry.' }]);
    const run = await runCliForTest(['rubric', 'test', '--bank', bank, '--all']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('✔ stack/empty-ish (weak)');
    expect(run.out).toMatch(/weak\s+1\s+[\d.]+/);
  });

  it('fails naming a question that is not in the bank', async () => {
    const run = await runCliForTest(['rubric', 'test', 'q99']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('no question "q99" in the bank');
  });
});

describe("the shipped bank's rubric tests", () => {
  it('rank the kinds of answer: strong and paraphrase high, wrong low', async () => {
    const run = await runCliForTest(['rubric', 'test', '--json']);
    const report = JSON.parse(run.out) as {
      byKind: { kind: string; meanOutOfFive: number }[];
      rankCorrelation: number;
    };
    const mean = Object.fromEntries(report.byKind.map(({ kind, meanOutOfFive }) => [kind, meanOutOfFive]));
    expect(mean.strong).toBeGreaterThanOrEqual(4.3);
    expect(mean.paraphrase).toBeGreaterThanOrEqual(3.5);
    // Measured 1.32 against weak 1.08 and partial 3.25 (docs/measurements.md): wrong answers are
    // near weak ones, not yet at the 1.0.
    expect(mean.wrong).toBeLessThan(mean.partial - 1.5);
    expect(mean.wrong).toBeLessThan(1.5);
    expect(report.rankCorrelation).toBeGreaterThanOrEqual(0.75);
  }, 120_000);
});
