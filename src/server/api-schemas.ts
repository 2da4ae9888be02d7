import { z } from 'zod';
import {
  exampleDraftSchema,
  MAX_EXAMPLE_ANSWER_CHARACTERS,
  MAX_EXAMPLE_NOTE_CHARACTERS,
} from '../examples/example-draft.js';
import { gradedExampleSchema } from '../examples/graded-example.js';
import { MAX_ANSWER_CHARACTERS, MAX_QUESTION_CHARACTERS } from '../grading/answer-limits.js';
import { gradingModeSchema } from '../config/grading-mode.js';
import { gradeRequestSchema as coreGradeRequestSchema, questionProblems } from '../grading/grade-request.js';
import { gradeSchema } from '../grading/grade-schema.js';
import { reviewRecordSchema } from '../reviews/review-schema.js';
import { rubricSchema } from '../rubrics/rubric-schema.js';

/** Request and response bodies of the HTTP API, one place, with their types. */

export { MAX_QUESTION_CHARACTERS } from '../grading/answer-limits.js';

/**
 * The request line and headers the server reads, in bytes. Lookup's longest q fully percent-encoded
 * takes 9 bytes a character (three-byte UTF-8, as in Hindi): 18,000 bytes, over Node's default of
 * 16 KiB; this leaves 14 KiB for the rest of the URL and ordinary headers.
 */
export const MAX_HEADER_BYTES = 32 * 1024;

/** Length limits in one wording; the detail puts the field first ("answer: must be at most 20,000 characters"). */
const atMost = (limit: number) => `must be at most ${limit.toLocaleString('en-US')} characters`;
const atLeast = (limit: number) => `must be at least ${limit.toLocaleString('en-US')} characters`;
/** "answer: is missing" rather than zod's "expected string, received undefined"; other type errors keep zod's wording. */
const required = { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is missing' : undefined) };

/** The core request (grading/grade-request.ts) with the API's limits, words and descriptions. */
export const gradeRequestSchema = coreGradeRequestSchema
  .extend({
    answer: z.string(required).max(MAX_ANSWER_CHARACTERS, atMost(MAX_ANSWER_CHARACTERS)),
    questionId: z.string().min(1, 'is empty').max(64, atMost(64)).optional().describe('Bank question id, e.g. "q4".'),
    question: z
      .string()
      .min(3, atLeast(3))
      .max(MAX_QUESTION_CHARACTERS, atMost(MAX_QUESTION_CHARACTERS))
      .optional()
      .describe('Question text: matched against the bank, or graded ad hoc with referenceAnswer.'),
    referenceAnswer: z
      .string()
      .trim()
      .min(1, 'is empty')
      .max(MAX_ANSWER_CHARACTERS, atMost(MAX_ANSWER_CHARACTERS))
      .optional()
      .describe('Reference answer for an ad-hoc question (needs question).'),
    maxScore: z.number().positive().max(1_000).optional(),
    mode: gradingModeSchema
      .optional()
      .describe("The scorer; default: the server's (llm when it has a model configured)."),
    samples: z
      .number()
      .int()
      .min(1)
      .max(9)
      .default(1)
      .describe('Gradings to take the median of (LLM mode; the local scorer is deterministic).'),
  })
  .strict()
  .superRefine((body, context) => {
    for (const { path, message } of questionProblems(body)) context.addIssue({ code: 'custom', path: [path], message });
  });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  requestId: z.string(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe(
      'On every 400: each problem by field (items[3].answer for an item of a batch), or (body) / (request) when no one field is to blame.',
    ),
  nearest: z
    .array(z.object({ questionId: z.string(), similarity: z.number(), question: z.string() }))
    .optional()
    .describe('For a question that matched nothing: the nearest bank entries.'),
});

export const batchRequestSchema = z
  .object({ items: z.array(z.unknown(), required).min(1, 'must hold at least one item') })
  .strict();

export const batchResponseSchema = z.object({
  results: z.array(
    z.union([
      z.object({ index: z.number().int(), grade: gradeSchema }),
      z.object({ index: z.number().int(), error: problemSchema }),
    ]),
  ),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

export const questionSummarySchema = z.object({
  id: z.string(),
  section: z.string(),
  question: z.string(),
  maxScore: z.number(),
  keyPointCount: z.number().int(),
});

export const questionListSchema = z.object({ questions: z.array(questionSummarySchema) });
export const questionDetailSchema = rubricSchema;

export const lookupQuerySchema = z
  .object({
    q: z
      .string(required)
      .min(3, atLeast(3))
      .max(MAX_QUESTION_CHARACTERS, atMost(MAX_QUESTION_CHARACTERS))
      .describe(
        `A question, or an answer to find the question of (by=answer): ${MAX_QUESTION_CHARACTERS.toLocaleString('en-US')} characters at most, so the URL fits the server's header limit.`,
      ),
    by: z.enum(['question', 'answer']).default('question'),
    limit: z.coerce.number().int().min(1).max(20).default(3),
  })
  .strict();

export const lookupResponseSchema = z.object({
  matched: z.string().nullable().describe('The bank id the text matches, or null when nothing is close enough.'),
  threshold: z.number(),
  matches: z
    .array(z.object({ questionId: z.string(), similarity: z.number(), question: z.string() }))
    .describe(
      'The nearest bank entries, best first. When matched is null they are near misses: offer them as choices, and grade against one by its questionId.',
    ),
});

export type LookupResponse = z.infer<typeof lookupResponseSchema>;

/** The answer to a lookup, in one shape for GET /v1/lookup and `answerkey lookup --json`. */
export function lookupResponse(
  matches: ReadonlyArray<{ questionId: string; similarity: number; rubric: { question: string } }>,
  threshold: number,
): LookupResponse {
  const best = matches[0];
  return {
    matched: best && best.similarity >= threshold ? best.questionId : null,
    threshold,
    matches: matches.map((match) => ({
      questionId: match.questionId,
      similarity: Math.round(match.similarity * 1000) / 1000,
      question: match.rubric.question,
    })),
  };
}

export const healthSchema = z.object({ status: z.enum(['ok', 'ready', 'starting']) });

/** /readyz: whether the server can grade, and, when it keeps its stores in PostgreSQL, whether the database can be used. */
export const readinessSchema = z.object({
  status: z.enum(['ready', 'starting', 'unavailable']),
  database: z
    .object({
      target: z.string().describe('host:port/database, never the password.'),
      reachable: z.boolean(),
      migrated: z.boolean().describe('Every migration of this version is applied (`answerkey db migrate`).'),
      problem: z.string().optional().describe('Why the database cannot be used, when it cannot.'),
    })
    .optional()
    .describe('Only when a database is configured.'),
});

// The draft's limits, with the API's wording of them (the store checks the draft again).
export const exampleRequestSchema = exampleDraftSchema
  .extend({
    questionId: z
      .string(required)
      .trim()
      .min(1, 'is empty')
      .max(64, atMost(64))
      .describe('Bank question id, e.g. "q4".'),
    answer: z
      .string(required)
      .trim()
      .min(1, 'is empty')
      .max(MAX_EXAMPLE_ANSWER_CHARACTERS, atMost(MAX_EXAMPLE_ANSWER_CHARACTERS))
      .describe('The answer that was graded.'),
    score: exampleDraftSchema.shape.score.describe('The score it was given, from 0 to maxScore.'),
    note: z
      .string()
      .trim()
      .max(MAX_EXAMPLE_NOTE_CHARACTERS, atMost(MAX_EXAMPLE_NOTE_CHARACTERS))
      .optional()
      .transform((note) => (note === '' ? undefined : note))
      .describe(exampleDraftSchema.shape.note.description ?? ''),
  })
  .strict();

export const exampleSchema = gradedExampleSchema;

/** What POST /v1/examples answers: the stored example, and a warning when the index could not be rebuilt. */
export const exampleCreatedSchema = gradedExampleSchema.extend({
  warning: z
    .string()
    .optional()
    .describe(
      'Present when the example is stored but the index could not be rebuilt to include it: grades use the index from before until a later rebuild succeeds (tried again when a grade next needs it). The example is stored: sending it again would store it twice.',
    ),
});

/** What POST /v1/grades/{id}/review answers: the log line, the example stored, and the grade before and after. */
export const reviewCreatedSchema = z.object({
  review: reviewRecordSchema.describe('The line appended to the review log.'),
  example: gradedExampleSchema.describe('The graded example the review stored.'),
  before: gradeSchema.describe("The grader's grade of the answer before the review (regraded by the server)."),
  after: gradeSchema.describe("The grader's next grade of the same answer, with the review among its graded examples."),
  warning: exampleCreatedSchema.shape.warning,
});

export const MAX_EXAMPLES_PER_PAGE = 200;
/** Bad lines listed at most in one answer: enough to find and fix them, however damaged a file is. */
export const MAX_BAD_LINES_LISTED = 100;

export const exampleListQuerySchema = z
  .object({
    questionId: z
      .string()
      .min(1, 'is empty')
      .max(64, atMost(64))
      .optional()
      .describe("Only this bank question's examples."),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_EXAMPLES_PER_PAGE)
      .default(50)
      .describe(`Examples in this page, at most ${MAX_EXAMPLES_PER_PAGE}.`),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('How many examples to skip: the next page starts at offset + limit.'),
  })
  .strict();

export const exampleListSchema = z.object({
  examples: z
    .array(gradedExampleSchema)
    .describe('One page of them, in bank order, then in the order they were added.'),
  total: z.number().int().describe('How many there are in all (of the question, when one is named).'),
  limit: z.number().int(),
  offset: z.number().int(),
  badLines: z
    .array(z.object({ file: z.string(), line: z.number().int(), problem: z.string() }))
    .max(MAX_BAD_LINES_LISTED)
    .describe(
      `Lines of the examples files that hold no usable example (skipped when grading; fix or delete them), the first ${MAX_BAD_LINES_LISTED}.`,
    ),
});

export type GradeRequestBody = z.infer<typeof gradeRequestSchema>;
export type Problem = z.infer<typeof problemSchema>;
export type BatchResponse = z.infer<typeof batchResponseSchema>;
export type LookupQuery = z.infer<typeof lookupQuerySchema>;
export type ExampleRequestBody = z.infer<typeof exampleRequestSchema>;
export type ExampleList = z.infer<typeof exampleListSchema>;
