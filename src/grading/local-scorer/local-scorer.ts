import type { WordVectors } from '../../embeddings/word-vectors.js';
import type { Scorer, ScoringInput } from '../scorer.js';
import { assessAnswer, type LocalScorerState } from './assess-answer.js';
import type { LocalAssessment } from './local-assessment.js';
import type { LocalScorerWeights } from './local-scorer-weights.js';

export type { LocalAssessment } from './local-assessment.js';
export { RUBRIC_SHARE, scoreUnderWeights } from './score-combination.js';

export interface LocalScorerConfig {
  vectors: WordVectors;
  weights: LocalScorerWeights;
}

export type LocalScorer = Scorer & { assess(input: ScoringInput): LocalAssessment };

/** The offline scorer: one state (vectors, weights, prepared references) that every grade reads. */
export function createLocalScorer({ vectors, weights }: LocalScorerConfig): LocalScorer {
  const state: LocalScorerState = { vectors, weights, references: new Map() };
  return {
    mode: 'local',
    assess: (input) => assessAnswer(state, input),
    async score(input) {
      // Scoring is synchronous: let waiting requests (a health check) in before each one, so a
      // grade's parts (the answer, then each rival question) never block the server back to back.
      await new Promise((resolve) => setImmediate(resolve));
      return assessAnswer(state, input).grade;
    },
  };
}
