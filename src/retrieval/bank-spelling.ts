import type { WordVectors } from '../embeddings/word-vectors.js';
import type { QuestionBank } from '../rubrics/question-bank.js';

/** Words this common in GloVe's corpus are taken as meant ("form" is not a typo of "from"). */
const COMMON_WORD_MAX_RANK = 50_000;
/**
 * Corrections land only on bank words of five letters or more: among shorter ones a typo of one
 * tool name is too often another word ("dask", "disk"). A typed word may be one letter shorter.
 */
const MIN_BANK_WORD_LENGTH = 5;
/** Below this length a word GloVe knows at all is taken as meant: short rare words are mostly abbreviations ("auth", "kube"). */
const SHORT_WORD_LENGTH = 5;

/** Rewrites a query's likely typos into the bank's own words. */
export type QueryCorrector = (query: string) => string;

function isOneEditApart(left: string, right: string): boolean {
  if (Math.abs(left.length - right.length) > 1 || left === right) return false;
  let start = 0;
  while (start < left.length && left[start] === right[start]) start += 1;
  const [leftTail, rightTail] = [left.slice(start), right.slice(start)];
  if (leftTail.length === rightTail.length) {
    // One letter replaced, or two neighbours swapped.
    return (
      leftTail.slice(1) === rightTail.slice(1) ||
      (leftTail[0] === rightTail[1] && leftTail[1] === rightTail[0] && leftTail.slice(2) === rightTail.slice(2))
    );
  }
  return leftTail.length > rightTail.length ? leftTail.slice(1) === rightTail : rightTail.slice(1) === leftTail;
}

/**
 * Spelling correction against the bank's closed vocabulary, for the interviewer who types a
 * question in a hurry: a query word the bank lacks and GloVe does not know as a common word is
 * replaced by the bank word one typo away with the same first letter ("eagr" → "eager"), the
 * bank's most frequent when several are. GloVe's own correction only reaches common words of six letters or more.
 */
export function createBankSpelling(bank: QuestionBank, vectors: WordVectors): QueryCorrector {
  const frequency = new Map<string, number>();
  for (const rubric of bank.rubrics) {
    const texts = [
      rubric.question,
      rubric.referenceAnswer,
      ...rubric.keyPoints.flatMap((keyPoint) => [keyPoint.text, ...keyPoint.alternatives]),
    ];
    for (const word of texts
      .join(' ')
      .toLowerCase()
      .match(/[a-z]+/g) ?? []) {
      if (word.length >= MIN_BANK_WORD_LENGTH) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  const corrected = new Map<string, string>();
  const correctWord = (word: string): string => {
    const lower = word.toLowerCase();
    if (lower.length < MIN_BANK_WORD_LENGTH - 1 || frequency.has(lower)) return word;
    const rank = vectors.rankOf(lower);
    if (rank !== undefined && (rank < COMMON_WORD_MAX_RANK || lower.length < SHORT_WORD_LENGTH)) return word;
    let cached = corrected.get(lower);
    if (cached === undefined) {
      let best = lower;
      let bestCount = 0;
      for (const [candidate, count] of frequency) {
        // Typists seldom miss the first letter; a different one is more often another word ("dask", "mask").
        if (count > bestCount && candidate[0] === lower[0] && isOneEditApart(lower, candidate))
          [best, bestCount] = [candidate, count];
      }
      corrected.set(lower, (cached = best));
    }
    return cached === lower ? word : cached;
  };
  return (query) => query.replace(/[A-Za-z]+/g, correctWord);
}
