import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../src/evaluation/dataset.js';
import { questionFolds } from '../../src/evaluation/evaluation-folds.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';

const directory = mkdtempSync(join(tmpdir(), 'answerkey-dataset-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCount = 0;
function jsonl(lines: readonly string[]): string {
  fileCount += 1;
  const path = join(directory, `data-${fileCount}.jsonl`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const row = (fields: Record<string, unknown>) =>
  JSON.stringify({ question_id: 'q1', answer: 'an answer', score: 3, max_score: 5, ...fields });

function datasetError(path: string): AnswerkeyError {
  try {
    readDataset(path);
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    const answerkeyError = error as AnswerkeyError;
    expect(answerkeyError.code).toBe('dataset_invalid');
    expect(answerkeyError.message).not.toContain('\n');
    return answerkeyError;
  }
  throw new Error(`readDataset(${path}) did not throw`);
}

describe('readDataset', () => {
  it.each([
    [7, 'score: 7 is above the maximum 5'],
    [-1, 'score: must be 0 or more'],
  ])('rejects score %d with max_score 5, with the line number', (score, problem) => {
    const path = jsonl([row({}), row({ score })]);
    expect(datasetError(path).message).toBe(`${path}:2: ${problem}`);
  });

  it("keeps each row's line number, blank lines counted", () => {
    const path = jsonl([row({}), '', row({ question_id: 'q2' })]);
    expect(readDataset(path).map((entry) => entry.lineNumber)).toEqual([1, 3]);
  });

  it('parses valid rows, turning a numeric question_id into a string', () => {
    const path = jsonl([
      JSON.stringify({
        dataset: 'mohler',
        question_id: 7,
        answer_id: 12,
        answer: 'A stack is LIFO.',
        score: 4.5,
        max_score: 5,
      }),
      JSON.stringify({
        question_id: 'adhoc-1',
        question: 'What is a stack?',
        reference_answer: 'A last-in, first-out list.',
        answer: 'Last in, first out.',
        score: 1,
        max_score: 2,
      }),
    ]);
    const rows = readDataset(path);
    expect(rows).toHaveLength(2);
    expect(rows[0].question_id).toBe('7');
    expect(typeof rows[0].question_id).toBe('string');
    expect(rows[0].answer_id).toBe('12');
    expect(rows[0].dataset).toBe('mohler');
    expect(rows[0].score).toBe(4.5);
    expect(rows[0].max_score).toBe(5);
    expect(rows[1].question_id).toBe('adhoc-1');
    expect(rows[1].reference_answer).toBe('A last-in, first-out list.');
    expect(rows[1].question).toBe('What is a stack?');
  });

  it('names a row without a dataset field "dataset"', () => {
    const rows = readDataset(jsonl([row({}), row({ question_id: 'q2' })]));
    expect(rows.map((entry) => entry.dataset)).toEqual(['dataset', 'dataset']);
  });

  it('skips blank and whitespace-only lines, including a trailing newline', () => {
    const path = jsonl(['', row({ question_id: 'q1' }), '   ', '\t', row({ question_id: 'q2' }), '']);
    expect(readDataset(path).map((entry) => entry.question_id)).toEqual(['q1', 'q2']);
  });

  it('accepts Windows line endings', () => {
    fileCount += 1;
    const path = join(directory, `crlf-${fileCount}.jsonl`);
    writeFileSync(path, `${row({ question_id: 'q1' })}\r\n${row({ question_id: 'q2' })}\r\n`);
    expect(readDataset(path).map((entry) => entry.question_id)).toEqual(['q1', 'q2']);
  });

  it('reports bad JSON with path:LINE, counting blank lines', () => {
    const path = jsonl([row({}), '', '{"question_id": "q2", "answer": ', row({})]);
    const error = datasetError(path);
    expect(error.message).toContain(`${path}:3`);
    expect(error.message).toMatch(/JSON/);
    expect(error.hint).toBeTruthy();
  });

  it('reports a missing score with path:LINE and the field name', () => {
    const path = jsonl([row({}), JSON.stringify({ question_id: 'q2', answer: 'x', max_score: 5 })]);
    const error = datasetError(path);
    expect(error.message).toBe(`${path}:2: score is missing`);
    expect(error.hint).toMatch(/score/);
  });

  it('rejects a non-numeric score with path:LINE', () => {
    const error = datasetError(jsonl([row({ score: 'high' }), row({})]));
    expect(error.message).toMatch(/:1: score/);
  });

  it('rejects a non-positive max_score', () => {
    const path = jsonl([row({}), row({ max_score: 0 })]);
    const error = datasetError(path);
    expect(error.message).toContain(`${path}:2`);
    expect(error.message).toContain('max_score');
  });

  it('rejects a reference_answer without its question, with path:LINE', () => {
    const path = jsonl([row({}), row({}), row({ reference_answer: 'A last-in, first-out list.' })]);
    const error = datasetError(path);
    expect(error.message).toContain(`${path}:3`);
    expect(error.message).toContain('question');
  });

  it('rejects a line that is JSON but not an object', () => {
    const path = jsonl([row({}), 'null']);
    expect(datasetError(path).message).toContain(`${path}:2`);
  });

  it('needs at least 2 rows', () => {
    const one = jsonl([row({}), '', '']);
    const error = datasetError(one);
    expect(error.message).toContain(one);
    expect(error.message).toMatch(/\b1\b/);
    const empty = jsonl(['', '  ']);
    expect(datasetError(empty).message).toMatch(/\b0\b/);
  });

  it('reports a missing file as "cannot read" with a hint about --dataset', () => {
    const missing = join(directory, 'does-not-exist.jsonl');
    const error = datasetError(missing);
    expect(error.message).toContain('cannot read');
    expect(error.message).toContain(missing);
    expect(cliHint(error)).toContain('--dataset');
  });
});

describe('questionFolds', () => {
  const keys = ['m/q1', 'm/q2', 'm/q1', 'm/q3', 's/q1', 'm/q4', 'm/q2', 's/q2', 'm/q5', 'm/q6', 's/q3', 'm/q1', 'm/q7'];

  it('returns one fold in [0, folds) per key', () => {
    for (const folds of [2, 3, 5]) {
      const assigned = questionFolds(keys, folds);
      expect(assigned).toHaveLength(keys.length);
      for (const fold of assigned) {
        expect(Number.isInteger(fold)).toBe(true);
        expect(fold).toBeGreaterThanOrEqual(0);
        expect(fold).toBeLessThan(folds);
      }
    }
  });

  it('puts every row of one question in the same fold', () => {
    const assigned = questionFolds(keys, 3);
    const foldOf = new Map<string, number>();
    keys.forEach((key, index) => {
      if (foldOf.has(key)) expect(assigned[index]).toBe(foldOf.get(key));
      foldOf.set(key, assigned[index]);
    });
  });

  it('uses every fold when there are at least as many questions as folds, and balances them', () => {
    const distinct = [...new Set(keys)];
    for (const folds of [2, 3, 4, distinct.length]) {
      const assigned = questionFolds(keys, folds);
      const questionsPerFold = new Array<number>(folds).fill(0);
      const seen = new Set<string>();
      keys.forEach((key, index) => {
        if (seen.has(key)) return;
        seen.add(key);
        questionsPerFold[assigned[index]] += 1;
      });
      expect(questionsPerFold.every((count) => count > 0)).toBe(true);
      expect(Math.max(...questionsPerFold) - Math.min(...questionsPerFold)).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic, and a key's fold does not depend on row order", () => {
    const first = questionFolds(keys, 3);
    expect(questionFolds(keys, 3)).toEqual(first);
    const reversed = [...keys].reverse();
    const foldsReversed = questionFolds(reversed, 3);
    const byKey = new Map(keys.map((key, index) => [key, first[index]]));
    reversed.forEach((key, index) => expect(foldsReversed[index]).toBe(byKey.get(key)));
  });

  it('does not simply follow the sorted order of the keys', () => {
    const many = Array.from({ length: 30 }, (_, index) => `d/q${String(index).padStart(2, '0')}`);
    const assigned = questionFolds(many, 2);
    const alternating = many.map((_, index) => index % 2);
    const blocks = many.map((_, index) => (index < 15 ? 0 : 1));
    expect(assigned).not.toEqual(alternating);
    expect(assigned).not.toEqual(blocks);
  });
});
