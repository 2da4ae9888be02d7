import type { LocalScorer } from '../grading/local-scorer/local-scorer.js';
import type { ScoringInput } from '../grading/scorer.js';

/** The ids of the key points a piece of the answer makes on its own. */
export type PointsStated = (text: string) => ReadonlySet<string>;

/**
 * Reads a quoted sentence with the local scorer's own key-point coverage (the point's wording
 * and its accepted alternatives, negation and dismissals respected), as if it were the whole
 * answer: the points it makes there are the points the quote can support.
 */
export function createPointsStated(local: LocalScorer, input: ScoringInput): PointsStated {
  const seen = new Map<string, ReadonlySet<string>>();
  return (text) => {
    let stated = seen.get(text);
    if (!stated) {
      const { keyPoints } = local.assess({ ...input, answer: text, examples: undefined, samples: undefined });
      stated = new Set(keyPoints.filter(({ result }) => result.status !== 'missing').map(({ result }) => result.id));
      seen.set(text, stated);
    }
    return stated;
  };
}
