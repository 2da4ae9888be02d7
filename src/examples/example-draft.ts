import { z } from 'zod';
import { keyPointVerdictSchema } from './graded-example.js';

export const MAX_EXAMPLE_ANSWER_CHARACTERS = 20_000;
export const MAX_EXAMPLE_NOTE_CHARACTERS = 2_000;

/**
 * A graded answer as an interviewer gives it, before the store checks it against the bank and names it.
 * Messages follow the field's name ("score: must be 0 or more"), so they do not repeat it.
 */
export const exampleDraftSchema = z.object({
  questionId: z.string().trim().min(1, 'is empty').max(64),
  answer: z
    .string()
    .trim()
    .min(1, 'is empty')
    .max(MAX_EXAMPLE_ANSWER_CHARACTERS, `must be at most ${MAX_EXAMPLE_ANSWER_CHARACTERS.toLocaleString('en-US')} characters`),
  score: z.number().min(0, 'must be 0 or more'),
  maxScore: z.number().positive('must be positive').max(1_000).optional().describe("The scale of the score; default: the question's."),
  note: z
    .string()
    .trim()
    .max(MAX_EXAMPLE_NOTE_CHARACTERS, `must be at most ${MAX_EXAMPLE_NOTE_CHARACTERS.toLocaleString('en-US')} characters`)
    .optional()
    .transform((note) => (note === '' ? undefined : note))
    .describe("The interviewer's reason for the score, shown to the model with the example."),
  keyPoints: z.array(keyPointVerdictSchema).max(50).optional().describe('Key-point statuses as the interviewer judged them (a review sets them).'),
});

export type ExampleDraft = z.input<typeof exampleDraftSchema>;
