import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { createLocalScorer } from '../../src/grading/local-scorer/local-scorer.js';
import { loadLocalScorerWeights } from '../../src/grading/local-scorer/local-scorer-weights.js';
import { scoringInputForRubric } from '../../src/grading/scorer.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

describe('per-question score mappings (from answerkey calibrate)', () => {
  const config = resolveConfig({}, {});
  const vectors = WordVectors.open(config.vectorsPath);
  const shipped = loadLocalScorerWeights(config.weightsPath);
  const bank = loadQuestionBank(config.bankDirectory);
  const plain = createLocalScorer({ vectors, weights: shipped });
  const mapped = createLocalScorer({ vectors, weights: { ...shipped, questionMappings: { q4: { intercept: 0.05, slope: 0.5, answers: 12 } } } });
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
