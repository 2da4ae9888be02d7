import type { LocalAssessment, LocalScorer } from '../grading/local-scorer/index.js';
import type { ScoringInput } from '../grading/scorer.js';
import type { SentenceSpan } from './evidence-check.js';

/** Whether a sentence of the answer makes a key point on its own. */
export type StatesPoint = (sentence: SentenceSpan, keyPointId: string) => boolean;

/**
 * Reads a quoted sentence with the local scorer's own key-point coverage (the point's wording
 * and its accepted alternatives, negation and dismissals respected). Where the local grade of
 * the whole answer already quotes the point from that sentence, that settles it (its quotes make
 * their point by themselves); otherwise the sentence is scored as if it were the whole answer.
 */
export function createStatesPoint(
  local: LocalScorer,
  localAssessment: LocalAssessment,
  input: ScoringInput,
): StatesPoint {
  const localQuotes = new Map<string, Array<{ start: number; end: number }>>();
  for (const keyPoint of localAssessment.grade.keyPoints) {
    if (keyPoint.status === 'missing' || keyPoint.evidence === null) continue;
    const spans: Array<{ start: number; end: number }> = [];
    for (
      let at = input.answer.indexOf(keyPoint.evidence);
      at !== -1;
      at = input.answer.indexOf(keyPoint.evidence, at + 1)
    )
      spans.push({ start: at, end: at + keyPoint.evidence.length });
    localQuotes.set(keyPoint.id, spans);
  }
  const stated = new Map<string, ReadonlySet<string>>();
  return (sentence, keyPointId) => {
    if ((localQuotes.get(keyPointId) ?? []).some((span) => span.start < sentence.end && sentence.start < span.end))
      return true;
    let points = stated.get(sentence.text);
    if (!points) {
      const { keyPoints } = local.assess({ ...input, answer: sentence.text, examples: undefined, samples: undefined });
      points = new Set(keyPoints.filter(({ result }) => result.status !== 'missing').map(({ result }) => result.id));
      stated.set(sentence.text, points);
    }
    return points.has(keyPointId);
  };
}
