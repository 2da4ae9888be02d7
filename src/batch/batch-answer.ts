import { sha256 } from '../text/sha256.js';

/** What names the question an answer is for: a bank id, its text, or an ad-hoc question and reference. */
export type QuestionRef = {
  questionId?: string;
  question?: string;
  referenceAnswer?: string;
  maxScore?: number;
};

/** One answer to grade, as read from the input, with the key that makes reruns skip it once done. */
export type BatchAnswer = {
  candidateId: string;
  /** The bank id, or `text-…` / `adhoc-…` (a hash) for a question given by its text. */
  questionKey: string;
  questionRef: QuestionRef;
  answer: string;
  answerSha256: string;
  /** Where it came from, for people: "answers.csv:12" or "alice.md:8". */
  source: string;
};

export type InputProblemKind =
  | 'malformed_row'
  | 'missing_field'
  | 'unknown_question'
  | 'unattributed_section'
  | 'duplicate_answer'
  | 'unreadable_file'
  | 'too_long'
  | 'grading_failed';

/** A row, file or section that was not graded, and why: one line of errors.jsonl. */
export type InputProblem = {
  kind: InputProblemKind;
  /** "answers.csv:12", "answers.csv:3-9" or "alice.md:40". */
  source: string;
  reason: string;
  candidateId?: string;
  questionKey?: string;
  /** The start of the text that was not graded, so a person can find it. */
  excerpt?: string;
};

export function questionKeyFor(ref: QuestionRef): string {
  if (ref.questionId !== undefined) return ref.questionId.trim().toLowerCase();
  const question = normalizeSpace(ref.question ?? '');
  if (ref.referenceAnswer !== undefined)
    return `adhoc-${sha256(`${question}\n${normalizeSpace(ref.referenceAnswer)}`).slice(0, 10)}`;
  return `text-${sha256(question).slice(0, 10)}`;
}

/** Identifies a graded answer across runs: the same candidate, question and text is done once. */
export function answerKey(entry: { candidateId: string; questionKey: string; answerSha256: string }): string {
  return `${entry.candidateId}\t${entry.questionKey}\t${entry.answerSha256}`;
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function excerptOf(text: string, length = 120): string {
  const flat = normalizeSpace(text);
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function createBatchAnswer(
  candidateId: string,
  questionRef: QuestionRef,
  answer: string,
  source: string,
): BatchAnswer {
  return {
    candidateId,
    questionKey: questionKeyFor(questionRef),
    questionRef,
    answer,
    answerSha256: sha256(answer),
    source,
  };
}
