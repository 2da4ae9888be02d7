import type { WordSimilarity } from '../../similarity/alignment.js';
import type { AnalyzedText } from '../../similarity/analyzed-text.js';
import { NEGATION_CUES } from '../../text/stopwords.js';
import { dismissingClauses } from './dismissal.js';

/** Cues whose other forms negate too ("avoids", "lacking"). */
const INFLECTED_CUES: ReadonlySet<string> = new Set(['avoid', 'lack']);

/** A negation cue: the tokenizer's, in any form for those that take one, and not in "whether or not". */
const NEGATION = new RegExp(
  `(?<!whether or )\\bnot\\b|\\b(?:${[...NEGATION_CUES]
    .filter((cue) => cue !== 'not')
    .map((cue) => (INFLECTED_CUES.has(cue) ? `${cue}\\w*` : cue))
    .join('|')})\\b|n't\\b`,
  'i',
);

export interface ContradictionReading {
  /** Weighted share of the reference the answer matches, whatever it says of it (main floor, negation ignored), 0–1. */
  matched: number;
  /** Share of that matched weight the answer matches only with words it denies or dismisses, 0–1. */
  contradicted: number;
}

/**
 * How much of what the answer shares with the reference it denies. For each reference word: its
 * best match in the answer, and its best match among answer words that do not deny it. A word
 * denies when its clause dismisses it ("early stopping is useless"), or when it repeats a word of
 * the reference under a negation ("never use dropout") while neither the question nor the
 * reference negates anything. Negation alone is not enough elsewhere: on the development data,
 * correct answers say "no limit" for "unlimited", "is not destroyed" for "lives throughout the
 * program", "no base case" for "the base case is not included", and word-level polarity reads
 * them all as denials.
 */
export function readContradiction(
  question: string,
  reference: AnalyzedText,
  answer: AnalyzedText,
  /** Left: a reference word; right: an answer word; negation ignored. */
  plainSimilarity: WordSimilarity,
): ContradictionReading {
  const affirmative = !NEGATION.test(question) && !NEGATION.test(reference.text);
  const clauses = dismissingClauses(answer.text);
  // Clauses and words both run in text order: one pass over each, not every clause per word.
  let clause = 0;
  const dismissed = answer.words.map((word) => {
    while (clause < clauses.length && clauses[clause][1] < word.token.end) clause += 1;
    return clause < clauses.length && word.token.start >= clauses[clause][0];
  });
  let total = 0;
  let matched = 0;
  let agreeing = 0;
  for (const word of reference.words) {
    let best = 0;
    let bestAgreeing = 0;
    answer.words.forEach((candidate, index) => {
      const similarity = plainSimilarity(word, candidate);
      if (similarity > best) best = similarity;
      const denies = dismissed[index] || (affirmative && similarity === 1 && candidate.token.negated);
      if (!denies && similarity > bestAgreeing) bestAgreeing = similarity;
    });
    total += word.weight;
    matched += word.weight * best;
    agreeing += word.weight * bestAgreeing;
  }
  return { matched: total > 0 ? matched / total : 0, contradicted: matched > 0 ? 1 - agreeing / matched : 0 };
}

/** Above this share of its matched weight denied, an answer contradicts the reference… */
const CONTRADICTED_SHARE = 0.5;
/** …provided it matches this much of it at all. */
const MIN_MATCHED = 0.2;
/** The most of the holistic score an answer contradicting its reference keeps: at most "weak". */
export const CONTRADICTION_CAP = 0.3;

export function contradicts(reading: ContradictionReading): boolean {
  return reading.matched >= MIN_MATCHED && reading.contradicted >= CONTRADICTED_SHARE;
}
