import { gradingModeSchema } from '../config/grading-mode.js';
import { z } from 'zod';
import { exampleDraftSchema, MAX_EXAMPLE_ANSWER_CHARACTERS } from '../examples/example-draft.js';
import { KEY_POINT_STATUSES, keyPointVerdictSchema } from '../examples/graded-example.js';

/** Who reviews from the command line, or through a server without API keys: the person at this machine. */
export const LOCAL_REVIEWER = 'local';

const atMost = (limit: number) => `must be at most ${limit.toLocaleString('en-US')} characters`;

/**
 * The interviewer's verdict on a grade: accept it, or give their own score, and key-point statuses
 * where they differ, with a note. The answer comes again: the server regrades it (never trusting a
 * score sent as the grader's) and checks it is the one the grade id names.
 */
export const reviewRequestSchema = z
  .object({
    questionId: z.string().min(1, 'is empty').max(64, atMost(64)).describe('The bank question the grade was for.'),
    // Not trimmed: the grade id is of the answer exactly as graded (the stored example is trimmed).
    answer: z
      .string()
      .max(MAX_EXAMPLE_ANSWER_CHARACTERS, atMost(MAX_EXAMPLE_ANSWER_CHARACTERS))
      .refine((answer) => answer.trim() !== '', 'is empty')
      .describe('The answer exactly as it was graded.'),
    maxScore: z
      .number()
      .positive()
      .max(1_000)
      .optional()
      .describe("The grade's scale, when the grade request gave one."),
    accept: z
      .literal(true)
      .optional()
      .describe("Keep the grader's score (and, without keyPoints, its key-point statuses)."),
    score: z
      .number()
      .min(0, 'must be 0 or more')
      .optional()
      .describe("The interviewer's own score, on the grade's scale."),
    keyPoints: z
      .array(keyPointVerdictSchema)
      .max(50)
      .optional()
      .describe("Key points whose status the interviewer sets; the others keep the grader's."),
    note: exampleDraftSchema.shape.note.describe(
      "The interviewer's reason, kept with the example and in the review log.",
    ),
    mode: gradingModeSchema.optional().describe('The scorer the grade came from; default: the configured one.'),
  })
  .strict()
  .refine((body) => (body.accept === true) !== (body.score !== undefined), {
    message: 'give either accept: true or your own score, not both',
    path: ['score'],
  });

export type ReviewRequest = z.input<typeof reviewRequestSchema>;

const keyPointChangeSchema = z.object({
  id: z.string(),
  grader: z.enum(KEY_POINT_STATUSES),
  reviewer: z.enum(KEY_POINT_STATUSES),
});

/** One line of the review log: who decided what about which grade, and when. */
export const reviewRecordSchema = z.object({
  id: z.string().describe("The review's own id."),
  gradeId: z.string(),
  questionId: z.string(),
  at: z.string().describe('When, as an ISO 8601 time.'),
  who: z.string().describe('The API key\'s name, or "local" for the command line and a server without keys.'),
  accepted: z.boolean().describe("Whether the interviewer kept the grader's score and statuses."),
  maxScore: z.number().positive(),
  graderScore: z.number().min(0),
  reviewerScore: z.number().min(0),
  keyPoints: z.array(keyPointChangeSchema).describe('Only the key points whose status the interviewer changed.'),
  note: z.string().optional(),
  exampleId: z.string().describe('The graded example the review stored.'),
});

export type ReviewRecord = z.infer<typeof reviewRecordSchema>;
