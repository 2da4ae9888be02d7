import { cosine } from '../embeddings/word-vectors.js';
import type { ContentWord } from './analyzed-text.js';

export interface AlignmentSettings {
  /** Cosines at or below this count as unrelated words. */
  similarityFloor: number;
  /** What is left of a match when one side is negated and the other is not. */
  negationPenalty: number;
}

export const DEFAULT_ALIGNMENT: AlignmentSettings = { similarityFloor: 0.4, negationPenalty: 0.2 };

/** Credit for two forms of one word the stemmer keeps apart ("reused" / "reusability"). */
const SHARED_PREFIX_SIMILARITY = 0.7;

function sharePrefix(left: string, right: string): boolean {
  const shorter = Math.min(left.length, right.length);
  if (shorter < 4) return false;
  let shared = 0;
  while (shared < shorter && left[shared] === right[shared]) shared += 1;
  return shared >= 5 || (shared >= 4 && shorter <= 6);
}

/** How well two content words match, 0–1: same stem 1, related meaning partial, unrelated 0. */
export function wordSimilarity(left: ContentWord, right: ContentWord, settings: AlignmentSettings): number {
  let similarity: number;
  if (left.token.stem === right.token.stem) similarity = 1;
  else {
    const raw = cosine(left.entry.vector, right.entry.vector);
    similarity = raw <= settings.similarityFloor ? 0 : (raw - settings.similarityFloor) / (1 - settings.similarityFloor);
    if (similarity < SHARED_PREFIX_SIMILARITY && sharePrefix(left.token.word, right.token.word)) similarity = SHARED_PREFIX_SIMILARITY;
  }
  return left.token.negated === right.token.negated ? similarity : similarity * settings.negationPenalty;
}

export interface WordMatch {
  similarity: number;
  /** The matching word on the other side, when any matched. */
  partner: ContentWord | undefined;
}

/** For each word of `from`, its best match among `to`. */
export function alignWords(from: readonly ContentWord[], to: readonly ContentWord[], settings: AlignmentSettings): WordMatch[] {
  return from.map((word) => {
    let best: WordMatch = { similarity: 0, partner: undefined };
    for (const candidate of to) {
      const similarity = wordSimilarity(word, candidate, settings);
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
