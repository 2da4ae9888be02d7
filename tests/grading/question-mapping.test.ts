import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { RUBRIC_SHARE, createLocalScorer } from '../../src/grading/local-scorer/local-scorer.js';
import { loadLocalScorerWeights } from '../../src/grading/local-scorer/local-scorer-weights.js';
import { scoringInputForRubric } from '../../src/grading/scorer.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';

describe('per-question score mappings (from answerkey calibrate)', () => {
  const config = resolveConfig({}, {});
  const vectors = WordVectors.open(config.vectorsPath);
  const shipped = loadLocalScorerWeights(config.weightsPath);
  const bank = loadQuestionBank(config.bankDirectory);
  const plain = createLocalScorer({ vectors, weights: shipped });
  const mapped = createLocalScorer({
    vectors,
    weights: { ...shipped, questionMappings: { q4: { intercept: 0.05, slope: 0.5, answers: 12 } } },
  });
  const score = (scorer: typeof plain, id: string, answer?: string) => {
    const rubric = bank.get(id)!;
    return scorer.assess(scoringInputForRubric(rubric, answer ?? rubric.referenceAnswer, 1)).grade.normalizedScore;
  };

  it('maps the scores of its question and no other', () => {
    expect(score(mapped, 'q4')).toBeCloseTo(0.05 + 0.5 * score(plain, 'q4'), 2);
    expect(score(mapped, 'q10')).toBe(score(plain, 'q10'));
  });

  it('never lifts an empty answer above 0', () => {
    expect(score(mapped, 'q4', '')).toBe(0);
  });
});

describe('weights files written before the loose reading', () => {
  const config = resolveConfig({}, {});
  const vectors = WordVectors.open(config.vectorsPath);
  const shipped = loadLocalScorerWeights(config.weightsPath);
  const bank = loadQuestionBank(config.bankDirectory);

  it('still load, and grade with the strict recall they were fitted on', () => {
    const legacy = {
      ...shipped,
      terms: ['sqrt(recall)', 'sqrt(trigramRecall)'] as typeof shipped.terms,
      settings: { ...shipped.settings, loose: undefined },
    };
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-legacy-weights-'));
    const path = join(directory, 'weights.json');
    writeFileSync(path, JSON.stringify(legacy));
    const loaded = loadLocalScorerWeights(path);
    expect(loaded.terms).toEqual(['sqrt(recall)', 'sqrt(trigramRecall)']);
    const rubric = bank.get('q4')!;
    const strict = createLocalScorer({ vectors, weights: loaded }).assess(
      scoringInputForRubric(rubric, loadCandidateAnswers().q4.partial, 1),
    );
    const [recallWeight, trigramWeight] = loaded.coefficients;
    const expected =
      recallWeight * Math.sqrt(strict.features.recall) +
      trigramWeight * Math.sqrt(strict.features.trigramRecall) +
      loaded.intercept;
    // RUBRIC_SHARE of the grade is the key-point tally (a bank rubric); the rest is the legacy model's.
    expect(strict.wrongClaims).toEqual([]);
    expect(strict.referenceScore).toBeCloseTo(
      Math.min(strict.cap, RUBRIC_SHARE * strict.tally + (1 - RUBRIC_SHARE) * Math.min(1, Math.max(0, expected))),
      6,
    );
    rmSync(directory, { recursive: true, force: true });
  });
});
