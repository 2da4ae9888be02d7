import type { ContentWord } from '../../similarity/analyzed-text.js';

/** The parts of a rubric's key point this needs: the word lists of its text and alternatives. */
interface KeyPointWords {
  readonly variants: readonly { readonly words: readonly ContentWord[] }[];
}

/** Two forms of one word the stemmer keeps apart ("postgres" / "postgresql", "rolled" / "rollouts"). */
function sameWord(left: ContentWord, right: ContentWord): boolean {
  if (left.token.stem === right.token.stem) return true;
  const [a, b] = [left.token.word, right.token.word];
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4 || a[0] !== b[0]) return false;
  let shared = 0;
  while (shared < shorter && a[shared] === b[shared]) shared += 1;
  return shared >= 5 || (shared >= 4 && shorter <= 6);
}

const cache = new WeakMap<readonly KeyPointWords[], Map<ContentWord, number>>();

/**
 * For every word of a rubric's key points (texts and alternatives), the number of the rubric's
 * key points that use it: 1 for a word only its own point has ("quantization"), 6 for "model" in
 * all six of a model-deployment rubric. Computed once per prepared rubric.
 */
export function keyPointsSharing(keyPoints: readonly KeyPointWords[]): Map<ContentWord, number> {
  const cached = cache.get(keyPoints);
  if (cached) return cached;
  const wordsOf = keyPoints.map((keyPoint) => keyPoint.variants.flatMap((variant) => variant.words));
  const sharing = new Map<ContentWord, number>();
  wordsOf.forEach((words) => {
    for (const word of words) {
      if (sharing.has(word)) continue;
      sharing.set(word, wordsOf.filter((others) => others.some((other) => sameWord(word, other))).length);
    }
  });
  cache.set(keyPoints, sharing);
  return sharing;
}
