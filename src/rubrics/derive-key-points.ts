import { tokenize } from '../text/tokenize.js';
import type { KeyPoint } from './rubric-schema.js';

const MAX_KEY_POINTS = 8;
/** A sentence with more content words than this is split at its clause boundaries. */
const LONG_SENTENCE_WORDS = 12;
const MIN_CLAUSE_WORDS = 3;
const MIN_SENTENCE_WORDS = 2;

function contentWordCount(text: string): number {
  return tokenize(text).filter((token) => !token.isStopword).length;
}

function splitClauses(sentence: string): string[] {
  if (contentWordCount(sentence) <= LONG_SENTENCE_WORDS) return [sentence];
  const clauses = sentence.split(/,\s+(?:and\s+|then\s+|while\s+)?|\s+(?:while|whereas|then)\s+/i);
  // A fragment ("A stack is a last-in") joins a neighbour: the previous clause, or the next when first.
  for (let index = 0; index < clauses.length && clauses.length > 1; ) {
    if (contentWordCount(clauses[index]) >= MIN_CLAUSE_WORDS) index += 1;
    else if (index > 0) clauses.splice(index - 1, 2, `${clauses[index - 1]}, ${clauses[index]}`);
    else clauses.splice(0, 2, `${clauses[0]}, ${clauses[1]}`);
  }
  return clauses;
}

/**
 * Key points for an ad-hoc question, whose reference answer comes without a rubric: one per
 * sentence or bullet, long sentences cut at their clauses, fragments folded into a neighbour,
 * at most eight (the shortest neighbours merged first). Each weighs 1.
 */
export function deriveKeyPoints(referenceAnswer: string): KeyPoint[] {
  const sentences = referenceAnswer
    .split(/(?<=[.!?])\s+|\n+|;\s*/)
    .map((part) => part.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
  const pieces: string[] = [];
  for (const clause of sentences.flatMap(splitClauses)) {
    const text = clause.trim().replace(/[,;:]$/, '');
    if (!text) continue;
    // A one-word sentence ("Definitely.") is no key point of its own.
    if (contentWordCount(text) < MIN_SENTENCE_WORDS && pieces.length > 0) pieces[pieces.length - 1] = `${pieces[pieces.length - 1].replace(/[.!?]$/, '')}, ${text}`;
    else pieces.push(text);
  }
  while (pieces.length > MAX_KEY_POINTS) {
    let shortest = 0;
    for (let index = 1; index < pieces.length - 1; index += 1) {
      if (pieces[index].length + pieces[index + 1].length < pieces[shortest].length + pieces[shortest + 1].length) shortest = index;
    }
    pieces.splice(shortest, 2, `${pieces[shortest]}; ${pieces[shortest + 1]}`);
  }
  if (pieces.length === 0 && referenceAnswer.trim()) pieces.push(referenceAnswer.trim());
  return pieces.map((text, index) => ({ id: `kp${index + 1}`, text, weight: 1, alternatives: [], misconceptions: [] }));
}
