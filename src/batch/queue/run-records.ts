import { z } from 'zod';
import { gradingModeSchema } from '../../config/grading-mode.js';
import { gradeSchema } from '../../grading/grade-schema.js';
import type { BatchAnswer, InputProblem } from '../batch-answer.js';
import { gradedWithSchema } from '../grading-fingerprint.js';

/*
 * What a queued run keeps in PostgreSQL (batch_runs, run_answers, run_grades, run_problems), as zod
 * reads it back: every row is checked on the way in from the database, as a file's would be.
 */

/** batch_runs.options: what the run was asked for, and what its report needs. */
export const runOptionsSchema = z.object({
  mode: gradingModeSchema,
  /** The input file or folder name, for the report's title. */
  inputName: z.string(),
  inputKind: z.enum(['csv', 'jsonl', 'take-homes']),
  /** Take-homes: every candidate with a file (each was set every question of the folder). */
  takeHomeCandidates: z.array(z.string()).optional(),
  /** --questions: the bank questions every candidate was set. */
  declaredQuestions: z.array(z.string()).optional(),
  answersPerJob: z.number().int().min(1),
  jobTimeoutSeconds: z.number().int().min(1),
});

export type RunOptions = z.infer<typeof runOptionsSchema>;

export const runRowSchema = z.object({
  id: z.string(),
  created_at: z.date(),
  input_description: z.string(),
  options: runOptionsSchema,
  fingerprint: z.string(),
  total: z.number().int(),
  status: z.string(),
});

export type RunRow = z.infer<typeof runRowSchema>;

const questionRefSchema = z.object({
  questionId: z.string().optional(),
  question: z.string().optional(),
  referenceAnswer: z.string().optional(),
  maxScore: z.number().optional(),
});

/** A row of run_answers, as the answer it is. */
export const answerRowSchema = z
  .object({
    ordinal: z.number().int(),
    candidate: z.string(),
    question_key: z.string(),
    question_ref: questionRefSchema,
    answer: z.string(),
    answer_hash: z.string(),
    source: z.string(),
  })
  .transform((row): QueuedAnswer => ({
    ordinal: row.ordinal,
    candidateId: row.candidate,
    questionKey: row.question_key,
    questionRef: row.question_ref,
    answer: row.answer,
    answerSha256: row.answer_hash,
    source: row.source,
  }));

export type QueuedAnswer = BatchAnswer & { ordinal: number };

/** run_grades.provenance: what the grade was graded with, and by whom. */
export const provenanceSchema = z.object({
  /** What a local batch records on each result (scorer and model, weights, rubric, examples), each a short hash. */
  gradedWith: gradedWithSchema,
  /** The graded examples that weighed in, by id, nearest first. */
  examplesUsed: z.array(z.string()),
  /** The chat model in LLM mode; null in local mode. */
  model: z.string().nullable(),
  /** The worker that graded it (host:pid:random). */
  worker: z.string(),
});

export type Provenance = z.infer<typeof provenanceSchema>;

/** A run's answer with its latest grade, as the report reads it. */
export const gradedRowSchema = z.object({
  ordinal: z.number().int(),
  grade: gradeSchema,
  provenance: provenanceSchema,
  graded_at: z.date(),
});

const problemKinds = [
  'malformed_row',
  'missing_field',
  'unknown_question',
  'unattributed_section',
  'duplicate_answer',
  'unreadable_file',
  'too_long',
  'grading_failed',
] as const satisfies readonly InputProblem['kind'][];

/** A row of run_problems: one line of the run's errors.jsonl. */
export const problemSchema = z.object({
  kind: z.enum(problemKinds),
  source: z.string(),
  reason: z.string(),
  candidateId: z.string().optional(),
  questionKey: z.string().optional(),
  excerpt: z.string().optional(),
}) satisfies z.ZodType<InputProblem>;
