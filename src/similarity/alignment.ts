import type { ContentWord } from './analyzed-text.js';

export interface AlignmentSettings {
  /** Cosines at or below this count as unrelated words. */
  similarityFloor: number;
  /** What is left of a match when one side is negated and the other is not. */
  negationPenalty: number;
}

/** How well two content words match in context, 0–1 (see SimilarityTable). */
export type WordSimilarity = (left: ContentWord, right: ContentWord) => number;

export interface WordMatch {
  similarity: number;
  /** The matching word on the other side, when any matched. */
  partner: ContentWord | undefined;
}

/** For each word of `from`, its best match among `to`. */
export function alignWords(
  from: readonly ContentWord[],
  to: readonly ContentWord[],
  similarityOf: WordSimilarity,
): WordMatch[] {
  return from.map((word) => {
    let best: WordMatch = { similarity: 0, partner: undefined };
    for (const candidate of to) {
      const similarity = similarityOf(word, candidate);
      if (similarity > best.similarity) best = { similarity, partner: candidate };
      if (similarity === 1) break;
    }
    return best;
  });
}

/** Weighted share of `from` that `to` covers: recall when `from` is the reference. */
export function coverage(from: readonly ContentWord[], matches: readonly WordMatch[]): number {
  let covered = 0;
  let total = 0;
  from.forEach((word, index) => {
    covered += word.weight * matches[index].similarity;
    total += word.weight;
  });
  return total > 0 ? covered / total : 0;
}
