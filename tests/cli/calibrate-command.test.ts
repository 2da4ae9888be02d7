import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalScorerWeights } from '../../src/grading/local-scorer/local-scorer-weights.js';
import { runCliForTest } from '../helpers/run-cli.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-calibrate-'));
const { grader, indexDirectory } = createTestGrader();
const dataset = join(scratch, 'strict-panel.jsonl');

/** Answers to q4 of every quality: the reference, single key points, the fixtures' answers, weak ones. */
function q4Answers(): string[] {
  const rubric = grader.bank.get('q4')!;
  const candidates = loadCandidateAnswers().q4;
  const keyPoints = rubric.keyPoints.map((keyPoint) => keyPoint.text);
  return [
    rubric.referenceAnswer,
    ...keyPoints,
    keyPoints.slice(0, 2).join(' '),
    candidates.paraphrase,
    candidates.partial,
    'Eager mode is easier to debug.',
    'Graphs are faster.',
  ];
}

beforeAll(async () => {
  // A panel far stricter than the shipped scale: 40% of what the scorer gives, on 0–5.
  const rows = [];
  for (const answer of q4Answers()) {
    const shipped = await grader.grade({ questionId: 'q4', answer });
    rows.push({ question_id: 'q4', answer, score: Math.round(0.4 * shipped.score * 10) / 10, max_score: 5 });
  }
  for (const answer of [grader.bank.get('q10')!.referenceAnswer, 'No idea.', loadCandidateAnswers().q10.partial]) {
    rows.push({ question_id: 'q10', answer, score: 2, max_score: 5 });
  }
  writeFileSync(dataset, rows.map((row) => JSON.stringify(row)).join('\n'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('answerkey calibrate', () => {
  const out = join(scratch, 'weights.json');

  it('writes weights with a mapping for the question with enough graded answers, which grading then follows', async () => {
    expect(q4Answers().length).toBeGreaterThanOrEqual(10);
    const run = await runCliForTest(['calibrate', '-d', dataset, '-o', out, '--index-dir', indexDirectory]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('own score mapping for 1 bank question: q4');
    expect(run.out).toMatch(
      /on their answers held out of the mapping: r -?[\d.]+, RMSE [\d.]+ \(n \d+\); without it r/,
    );
    const weights = loadLocalScorerWeights(out);
    expect(Object.keys(weights.questionMappings ?? {})).toEqual(['q4']);

    const reference = grader.bank.get('q4')!.referenceAnswer;
    const shipped = await grader.grade({ questionId: 'q4', answer: reference });
    const graded = await runCliForTest([
      'grade',
      '--weights',
      out,
      '--index-dir',
      indexDirectory,
      '-i',
      'q4',
      '-a',
      reference,
      '--json',
    ]);
    expect(graded.code).toBe(0);
    const calibrated = JSON.parse(graded.out) as { score: number };
    expect(calibrated.score).toBeLessThan(shipped.score - 1);
  });

  it('refuses to overwrite an existing file without --force, and keeps it', async () => {
    writeFileSync(out, 'keep me');
    const run = await runCliForTest(['calibrate', '-d', dataset, '-o', out, '--index-dir', indexDirectory]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('exists');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await runCliForTest([
      'calibrate',
      '-d',
      dataset,
      '-o',
      out,
      '--force',
      '--index-dir',
      indexDirectory,
    ]);
    expect(forced.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(() => loadLocalScorerWeights(out)).not.toThrow();
  });
});
