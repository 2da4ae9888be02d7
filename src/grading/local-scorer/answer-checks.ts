import type { GradeFlag } from '../grade-schema.js';
import { alignWords, coverage } from '../../similarity/alignment.js';
import type { SimilarityTable } from '../../similarity/similarity-table.js';
import type { AnalyzedText } from '../../similarity/analyzed-text.js';
import type { Features } from './features.js';

/**
 * Unrelated to the reference by every measure, yet human graders still give such answers some
 * credit when they are honest attempts (on the development data they average 0.7 of the scale),
 * so the cap is softer than for parroting; bank questions also get the stricter off-topic guard.
 */
const OFF_TOPIC_CAP = 0.3;
const LONG_QUESTION_WORDS = 6;
const MIN_OFF_TOPIC_REFERENCE_WORDS = 4;
/** Below this overlap beyond the question's own words, an answer mostly of the question's words restates it. */
const BEYOND_QUESTION = 0.15;
/** Repeating this share of the question's words is restating it, not using its terms. */
const WHOLE_QUESTION_SHARE = 0.7;

/** What people write in place of an answer; a bare "no" is left out, since it answers yes/no questions. */
const STOCK_NON_ANSWER =
  "(?:(?:no|empty|blank) (?:submission|response|answer)|(?:not|un) ?answered|n/?a|none|(?:i )?don'?t know|idk|no idea|not sure|pass|skip(?:ped)?|tbd|todo|-+|\\.+|\\?+)";
/** Why there is no answer, alone or after one of the above ("N/A - ran out of time", "TODO: finish later"). */
const EXCUSE =
  "(?:(?:i )?ran out of time|out of time|no time(?: left)?|(?:i )?(?:didn'?t|did not) (?:have (?:the )?time|finish|get to (?:it|this))|not finished|unfinished|(?:will )?(?:finish|fill (?:it |this )?in|come back to (?:it|this)) later|forgot)";
const NON_ANSWERS = new RegExp(
  `^\\s*(?:${STOCK_NON_ANSWER}(?:\\s*[-\u2013\u2014:,;(/]*\\s*${EXCUSE})?|${EXCUSE})\\s*[).!]*\\s*$`,
  'i',
);

/** What the checks found, and the most the answer may score because of it (0–1). */
export interface CheckOutcome {
  flags: GradeFlag[];
  cap: number;
}

export interface CheckInputs {
  /** Rows: the answer's words; columns: the reference side's. */
  table: SimilarityTable;
  /** Distinct content words of the question. */
  questionWordCount: number;
  answer: AnalyzedText;
  reference: AnalyzedText;
  expandedReference: AnalyzedText;
  features: Features;
}

/**
 * Numbers, symbols and variable names are not keywords: a worked calculation ("P(B) = 0.6^3 *
 * 0.4^3 = 0.0138") has no function words either, yet it is an answer, and graders credit it.
 */
const WORDLIKE = /^\p{L}{2,}$/u;

function wordlikeWords(answer: AnalyzedText) {
  return answer.words.filter((word) => WORDLIKE.test(word.token.word));
}

/** Share of the answer's words that are function words: a bare keyword list has almost none. */
function functionWordShare(answer: AnalyzedText): number {
  const functionWords = answer.tokens.filter((token) => token.isStopword).length;
  const wordlike = wordlikeWords(answer).length + functionWords;
  return wordlike === 0 ? 0 : functionWords / wordlike;
}

function copiedShare(answer: AnalyzedText, expandedReference: AnalyzedText): number {
  const referenceStems = new Set(expandedReference.words.map((word) => word.token.stem));
  const words = wordlikeWords(answer);
  const copied = words.filter((word) => referenceStems.has(word.token.stem)).length;
  return words.length === 0 ? 0 : copied / words.length;
}

/**
 * How much the answer says beyond the question's own words that the reference also says: the
 * larger of the share of the reference's new words the answer has (recall) and the share of the
 * answer's new words the reference has (precision). A short correct answer ("a local variable is
 * only available in the function") adds one word, but one the reference says in its own way.
 */
function beyondQuestionOverlap(
  answer: AnalyzedText,
  reference: AnalyzedText,
  table: SimilarityTable,
): { recall: number; precision: number } {
  const referenceWords = reference.words.filter((word) => !word.fromQuestion);
  const answerWords = answer.words.filter((word) => !word.fromQuestion);
  const recall = coverage(referenceWords, alignWords(referenceWords, answerWords, table.columnToRow));
  const precision = coverage(answerWords, alignWords(answerWords, referenceWords, table.rowToColumn));
  return { recall, precision };
}

/** Share of the question's distinct content words the answer repeats. */
function repeatedQuestionShare(answer: AnalyzedText, questionWordCount: number): number {
  const repeated = new Set(answer.words.filter((word) => word.fromQuestion).map((word) => word.token.stem));
  return questionWordCount === 0 ? 0 : repeated.size / questionWordCount;
}

/**
 * Nothing beyond the question that the reference also says. An answer that repeats most of the
 * question outright is judged on recall alone: a couple of filler words of its own ("they are
 * different, depending on…") resemble something in any reference, so they do not count.
 */
function restatesQuestion(
  answer: AnalyzedText,
  expandedReference: AnalyzedText,
  table: SimilarityTable,
  questionWordCount: number,
): boolean {
  const { recall, precision } = beyondQuestionOverlap(answer, expandedReference, table);
  if (repeatedQuestionShare(answer, questionWordCount) >= WHOLE_QUESTION_SHARE) return recall < BEYOND_QUESTION;
  return Math.max(recall, precision) < BEYOND_QUESTION;
}

/**
 * No words at all, or a stock non-answer. An answer of function words only ("all of them",
 * "both", "a[i] = *(a+i)") is an answer: graders credit it, and it scores what its content earns.
 */
export function isNonAnswer(text: string, analyzed: AnalyzedText): boolean {
  return analyzed.tokens.length === 0 || NON_ANSWERS.test(text);
}

/**
 * Answers that must not earn credit whatever their word overlap: the question restated, the
 * reference's keywords without sentences, and text unrelated to the reference.
 */
export function checkAnswer({
  table,
  questionWordCount,
  answer,
  reference,
  expandedReference,
  features,
}: CheckInputs): CheckOutcome {
  const flags: GradeFlag[] = [];
  let cap = 1;
  // Restating the question: mostly its words, and what the reference adds to them is not there.
  // Short questions are left alone: a correct answer to "When does C++ create a default
  // constructor?" cannot help repeating most of it.
  if (
    questionWordCount >= LONG_QUESTION_WORDS &&
    answer.words.length >= 3 &&
    features.questionShare >= 0.75 &&
    restatesQuestion(answer, expandedReference, table, questionWordCount)
  ) {
    flags.push('parroting');
    cap = Math.min(cap, 0.1);
  }
  if (
    wordlikeWords(answer).length >= 10 &&
    functionWordShare(answer) < 0.12 &&
    copiedShare(answer, expandedReference) >= 0.7
  ) {
    flags.push('keyword_list');
    cap = Math.min(cap, 0.2);
  }
  // Only judged on answers long enough to have said something relevant had it been on topic, and
  // against references long enough to say what on topic is: "Abstraction and reusability" does
  // not make an answer about encapsulation and inheritance off topic.
  if (
    answer.words.length >= 8 &&
    reference.words.length >= MIN_OFF_TOPIC_REFERENCE_WORDS &&
    features.recall < 0.06 &&
    features.keyPointCoverage < 0.05
  ) {
    flags.push('off_topic');
    cap = Math.min(cap, OFF_TOPIC_CAP);
  }
  if (answer.words.length < 4 && reference.words.length >= 10) flags.push('too_short');
  return { flags, cap };
}
