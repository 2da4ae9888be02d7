import { gradingModeSchema } from '../config/grading-mode.js';
import { z } from 'zod';

export const GRADE_FLAGS = [
  'empty',
  'off_topic',
  'parroting',
  'keyword_list',
  'injection_suspected',
  'too_short',
  'needs_review',
  'llm_unavailable',
  'contradicts_reference',
  'copies_reference',
] as const;

export const BANDS = ['excellent', 'good', 'fair', 'weak', 'poor'] as const;

export const keyPointResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  status: z.enum(['covered', 'partial', 'missing']),
  evidence: z
    .string()
    .nullable()
    .describe('A span copied verbatim from the answer, or null when nothing in it shows the point.'),
});

export const MISCONCEPTION_KINDS = ['listed', 'swapped_roles', 'opposite', 'dismissal'] as const;

export const misconceptionResultSchema = z.object({
  id: z.string().describe('The rubric\'s misconception id, or for one found without a list "<kind>:<key point id>".'),
  text: z.string().describe('The wrong claim, in words an interviewer reads.'),
  kind: z
    .enum(MISCONCEPTION_KINDS)
    .describe(
      'listed: a misconception the rubric names; swapped_roles: a point stated of the other side of a contrast; opposite: a point stated with opposite words; dismissal: a point named only to be dismissed.',
    ),
  keyPointId: z
    .string()
    .nullable()
    .describe('The key point the claim contradicts, or null for a question-level misconception.'),
  evidence: z.string().describe('A span copied verbatim from the answer that states the claim.'),
});

export const usageSchema = z
  .object({
    model: z.string(),
    promptTokens: z.number().int().min(0),
    completionTokens: z.number().int().min(0),
    estimatedCostUsd: z
      .number()
      .min(0)
      .nullable()
      .describe('From the price table in the configuration; null for a model it does not list.'),
    cachedResponses: z
      .number()
      .int()
      .min(0)
      .describe('Model replies taken from the on-disk cache; their tokens are not counted again.'),
  })
  .describe('Tokens of the model replies this grade used, each successful reply counted once (LLM mode only).');

export const samplesSchema = z
  .object({
    count: z.number().int().min(1),
    scores: z.array(z.number().min(0).max(1)).describe("Each grading's normalized score, in the order taken."),
    spread: z.number().min(0).max(1).describe('Highest minus lowest normalized score.'),
  })
  .describe('Independent gradings of the same answer; the grade is their median (LLM mode with --samples).');

/** The one grade every scorer returns and every interface (CLI, API, batch) prints. */
export const gradeSchema = z.object({
  id: z
    .string()
    .optional()
    .describe(
      'Names what was graded (the question, the scale and the answer): the same answer to the same question gets the same id, so a review can refer to it.',
    ),
  questionId: z.string().nullable().describe('Bank question id, or null for an ad-hoc question.'),
  score: z.number().min(0),
  maxScore: z.number().positive(),
  normalizedScore: z.number().min(0).max(1),
  band: z.enum(BANDS),
  rationale: z.string(),
  keyPoints: z.array(keyPointResultSchema),
  confidence: z.number().min(0).max(1),
  mode: gradingModeSchema,
  reference: z.object({
    questionId: z.string().nullable(),
    similarity: z
      .number()
      .min(-1)
      .max(1)
      .describe('How closely the question asked matched the bank entry (1 for an id or an inline reference).'),
  }),
  flags: z.array(z.enum(GRADE_FLAGS)),
  misconceptions: z
    .array(misconceptionResultSchema)
    .default([])
    .describe(
      'Wrong claims the answer states, each quoted; they cost points and mark the point they contradict as not made.',
    ),
  usage: usageSchema.optional(),
  samples: samplesSchema.optional(),
  examples: z
    .array(
      z.object({
        id: z.string(),
        score: z.number().min(0).describe("The grade the example was given, on this grade's scale."),
        weight: z.number().min(0).max(1).describe("Its share of the examples' say in this grade."),
      }),
    )
    .optional()
    .describe('Graded answers to the same question that weighed in, nearest first (absent when none were used).'),
});

export type GradeUsage = z.infer<typeof usageSchema>;
export type KeyPointResult = z.infer<typeof keyPointResultSchema>;
export type MisconceptionResult = z.infer<typeof misconceptionResultSchema>;
export type Grade = z.infer<typeof gradeSchema>;
export type GradeFlag = (typeof GRADE_FLAGS)[number];
export type Band = (typeof BANDS)[number];

export function bandFor(normalizedScore: number): Band {
  if (normalizedScore >= 0.85) return 'excellent';
  if (normalizedScore >= 0.65) return 'good';
  if (normalizedScore >= 0.45) return 'fair';
  if (normalizedScore >= 0.25) return 'weak';
  return 'poor';
}

/** The published JSON Schema (schema/grade.schema.json is generated from this). */
export function gradeJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://answerkey.dev/schema/grade.schema.json',
    title: 'answerkey grade',
    ...z.toJSONSchema(gradeSchema, { target: 'draft-2020-12' }),
  };
}
