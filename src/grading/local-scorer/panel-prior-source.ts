import type { GradedExample } from '../../examples/graded-example.js';
import type { ScoringInput } from '../scorer.js';
import { fitPanelPrior, NO_PANEL, type PanelPrior } from './example-guidance.js';

export interface PanelPriorSourceConfig {
  /** Every stored graded example, of every question. */
  examples: () => readonly GradedExample[];
  /** What the scorer needs to grade an example against its own question; undefined for a question the bank lacks. */
  inputFor: (example: GradedExample) => ScoringInput | undefined;
  /** The 0–1 score the scorer gives an answer from the reference alone. */
  referenceScore: (input: ScoringInput) => number;
}

const MAX_CACHED_SCORES = 20_000;

/**
 * The panel prior of the graded examples as they are now: each example scored once against its own
 * question's reference (cached by question and answer), the prior refitted only when the examples changed.
 */
export function createPanelPriorSource({
  examples,
  inputFor,
  referenceScore,
}: PanelPriorSourceConfig): () => PanelPrior {
  const scores = new Map<string, number | undefined>();
  let fitted: { key: string; prior: PanelPrior } | undefined;
  const scoreOf = (example: GradedExample) => {
    const key = JSON.stringify([example.questionId, example.answer]);
    if (!scores.has(key)) {
      if (scores.size >= MAX_CACHED_SCORES) scores.clear();
      const input = inputFor(example);
      scores.set(key, input && referenceScore(input));
    }
    return scores.get(key);
  };
  return () => {
    const all = examples();
    if (all.length === 0) return NO_PANEL;
    const key = JSON.stringify(all.map(({ id, questionId, score, maxScore }) => [id, questionId, score, maxScore]));
    if (fitted?.key === key) return fitted.prior;
    const byQuestion = new Map<string, Array<{ referenceScore: number; humanScore: number }>>();
    for (const example of all) {
      const score = scoreOf(example);
      if (score === undefined) continue;
      const pairs = byQuestion.get(example.questionId) ?? [];
      pairs.push({ referenceScore: score, humanScore: Math.min(1, example.score / example.maxScore) });
      byQuestion.set(example.questionId, pairs);
    }
    fitted = { key, prior: fitPanelPrior([...byQuestion.values()]) };
    return fitted.prior;
  };
}
