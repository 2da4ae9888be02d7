import type { GradeFlag } from '../grade-schema.js';
import type { AnalyzedText } from './analyzed-text.js';
import type { Features } from './features.js';

const NON_ANSWERS = /^\s*(?:no submission|n\/?a|none|i don'?t know|idk|no idea|pass|skip(?:ped)?|tbd|todo|-+|\.+|\?+)\s*[.!]?\s*$/i;

/** What the checks found, and the most the answer may score because of it (0–1). */
export interface CheckOutcome {
  flags: GradeFlag[];
  cap: number;
}

export interface CheckInputs {
  answer: AnalyzedText;
  reference: AnalyzedText;
  expandedReference: AnalyzedText;
  features: Features;
}

/** Share of the answer's words that are function words: a bare keyword list has almost none. */
function functionWordShare(answer: AnalyzedText): number {
  return answer.tokens.length === 0 ? 0 : 1 - answer.words.length / answer.tokens.length;
}

function copiedShare(answer: AnalyzedText, expandedReference: AnalyzedText): number {
  const referenceStems = new Set(expandedReference.words.map((word) => word.token.stem));
  const copied = answer.words.filter((word) => referenceStems.has(word.token.stem)).length;
  return answer.words.length === 0 ? 0 : copied / answer.words.length;
}

export function isNonAnswer(text: string, analyzed: AnalyzedText): boolean {
  return analyzed.words.length === 0 || NON_ANSWERS.test(text);
}

/**
 * Answers that must not earn credit whatever their word overlap: the question restated, the
 * reference's keywords without sentences, and text unrelated to the reference.
 */
export function checkAnswer({ answer, reference, expandedReference, features }: CheckInputs): CheckOutcome {
  const flags: GradeFlag[] = [];
  let cap = 1;
  const ownWords = answer.words.filter((word) => !word.fromQuestion).length;
  const referenceOwnWords = reference.words.filter((word) => !word.fromQuestion).length;
  // Restating the question: mostly its words, too few of its own, and not what the reference says.
  if (answer.words.length >= 3 && features.questionShare >= 0.5 && features.recall < 0.3 && ownWords < Math.max(3, 0.3 * referenceOwnWords)) {
    flags.push('parroting');
    cap = Math.min(cap, 0.1);
  }
  if (answer.words.length >= 10 && functionWordShare(answer) < 0.12 && copiedShare(answer, expandedReference) >= 0.7) {
    flags.push('keyword_list');
    cap = Math.min(cap, 0.2);
  }
  // Only judged on answers long enough to have said something relevant had it been on topic.
  if (answer.words.length >= 8 && features.recall < 0.12 && features.keyPointCoverage < 0.1) {
    flags.push('off_topic');
    cap = Math.min(cap, 0.1);
  }
  if (answer.words.length < 4 && reference.words.length >= 10) flags.push('too_short');
  return { flags, cap };
}
