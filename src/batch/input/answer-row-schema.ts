import { z } from 'zod';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import {
  createBatchAnswer,
  excerptOf,
  type BatchAnswer,
  type InputProblem,
  type InputProblemKind,
} from '../batch-answer.js';

/** Blank cells and JSON nulls mean "not given". */
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;
const text = z.union([z.string(), z.number()]).transform((value) => String(value).trim());
const optionalText = z.preprocess(blankToUndefined, text.optional());
/**
 * Candidate ids lose only the spaces around them: trimming tabs and control characters too made
 * "\t=1+1" the same candidate as "=1+1" (issue #12), and the CSV writer defuses both apart.
 */
const trimSpaces = (value: string) => value.replace(/^ +| +$/g, '');

/** One answer in a CSV or JSONL file (column names already normalised to snake_case). */
export const answerRowSchema = z
  .object({
    candidate_id: z.preprocess(
      blankToUndefined,
      z
        .union([z.string(), z.number()], { error: 'candidate_id is missing' })
        .transform((value) => trimSpaces(String(value))),
    ),
    question_id: optionalText,
    question: optionalText,
    reference_answer: optionalText,
    // Kept as written: the answer's text is graded, and hashed to recognise it on a rerun.
    answer: z.preprocess((value) => (value === null ? undefined : value), z.string({ error: 'answer is missing' })),
    max_score: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'max_score must be a number' }).positive('max_score must be positive').optional(),
    ),
  })
  .superRefine((row, context) => {
    if (row.question_id === undefined && row.question === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['question_id'],
        message: 'give question_id (a bank id) or question (its text)',
      });
    }
    if (row.reference_answer !== undefined && row.question === undefined) {
      context.addIssue({ code: 'custom', path: ['question'], message: 'a reference_answer needs its question' });
    }
  });

export type AnswerRow = z.infer<typeof answerRowSchema>;

/** CSV headers as people write them: "Candidate ID", "candidateId" and "candidate-id" all mean candidate_id. */
export function normalizeColumnName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export type RowOutcome = { answer: BatchAnswer } | { problem: InputProblem };

function problem(
  kind: InputProblemKind,
  source: string,
  reason: string,
  extra: Partial<InputProblem> = {},
): RowOutcome {
  return { problem: { kind, source, reason, ...extra } };
}

/** Validates one row and turns it into an answer to grade, or says why it cannot be graded. */
export function answerFromRow(data: unknown, source: string, bank: QuestionBank): RowOutcome {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return problem('malformed_row', source, 'not an object with named fields');
  const result = answerRowSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const raw = data as Record<string, unknown>;
    const missing = issue.code === 'custom' || blankToUndefined(raw[field]) === undefined;
    return problem(missing ? 'missing_field' : 'malformed_row', source, issue.message, {
      ...(typeof raw.candidate_id === 'string' && raw.candidate_id.trim()
        ? { candidateId: trimSpaces(raw.candidate_id) }
        : {}),
      ...(field === 'answer' || typeof raw.answer !== 'string' ? {} : { excerpt: excerptOf(raw.answer) }),
    });
  }
  const row = result.data;
  const ref =
    row.question_id !== undefined
      ? { questionId: row.question_id.toLowerCase(), maxScore: row.max_score }
      : { question: row.question, referenceAnswer: row.reference_answer, maxScore: row.max_score };
  const answer = createBatchAnswer(row.candidate_id, withoutUndefined(ref), row.answer, source);
  if (ref.questionId !== undefined && !bank.get(ref.questionId)) {
    return problem('unknown_question', source, `no question "${row.question_id}" in the bank (${knownIds(bank)})`, {
      candidateId: answer.candidateId,
      questionKey: answer.questionKey,
      excerpt: excerptOf(row.answer),
    });
  }
  return { answer };
}

export function knownIds(bank: QuestionBank): string {
  const ids = bank.rubrics.map((rubric) => rubric.id);
  return `known ids: ${ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, …` : ids.join(', ')}`;
}

function withoutUndefined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
