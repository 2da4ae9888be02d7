import { cosine } from '../../embeddings/word-vectors.js';
import type { ContentWord } from '../../similarity/analyzed-text.js';
import { namesASide, sidesOfClaim, sidesOfClaimWords, type ContrastSides } from './contrast-roles.js';
import { ruledOutAt, type PreparedKeyPoint } from './key-point-coverage.js';

/** A word the rubric says of one side of a contrast only, and the key point that says it. */
export interface SideWord {
  readonly word: ContentWord;
  readonly side: number;
  readonly pointIndex: number;
  /** Which of the point's wordings says it (0: its own text). */
  readonly wording: number;
}

/** Words this close (cosine) say the same thing: "immediately" and "instantly". */
const SAME_MEANING_AT = 0.75;

function sameMeaning(left: ContentWord, right: ContentWord): boolean {
  return left.token.stem === right.token.stem || cosine(left.entry.vector, right.entry.vector) >= SAME_MEANING_AT;
}

const vocabularies = new WeakMap<readonly PreparedKeyPoint[], WeakMap<readonly ContrastSides[], SideWord[][]>>();

/**
 * Per contrast, the words the key points and their accepted wordings say of one side and never of
 * another: "immediately", "debugging" of eager execution, "optimize", "production" of graph
 * execution. A word a wording rules out ("instead of deferring it") is said of the other side of a
 * two-sided contrast. This is the rubric's knowledge of which side does what, for reading an
 * answer that says it of the wrong one in words no key point matches in full.
 */
export function sideVocabularies(
  keyPoints: readonly PreparedKeyPoint[],
  contrasts: readonly ContrastSides[],
): SideWord[][] {
  let byContrasts = vocabularies.get(keyPoints);
  if (!byContrasts) vocabularies.set(keyPoints, (byContrasts = new WeakMap()));
  const cached = byContrasts.get(contrasts);
  if (cached) return cached;
  const result = contrasts.map((sides, contrast) => {
    const said: SideWord[] = [];
    keyPoints.forEach(({ variants }, pointIndex) => {
      const claimSides = sidesOfClaim(variants[0], contrasts);
      // Only the sides the point's own text speaks of: an accepted wording naming a side in passing
      // ("a liveness route plus a metrics endpoint") does not make a neutral point one side's.
      const mainSides = new Set(
        [...sidesOfClaimWords(variants[0], contrasts, claimSides).values()].map((sidesOfWord) => sidesOfWord[contrast]),
      );
      variants.forEach((variant, wording) => {
        const wordSides = sidesOfClaimWords(variant, contrasts, claimSides);
        for (const word of variant.words) {
          let side = wordSides.get(word)?.[contrast] ?? -1;
          if (!mainSides.has(side) || side < 0 || word.fromQuestion || namesASide(word, sides)) continue;
          if (word.token.negated || ruledOutAt(variant.text, word.token.start)) {
            if (sides.length !== 2) continue;
            side = 1 - side;
          }
          said.push({ word, side, pointIndex, wording });
        }
      });
    });
    return said.filter(
      (entry) => !said.some((other) => other.side !== entry.side && sameMeaning(other.word, entry.word)),
    );
  });
  byContrasts.set(contrasts, result);
  return result;
}
