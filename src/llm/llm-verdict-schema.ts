import { z } from 'zod';

/**
 * What the model is asked to return: a verdict per key point with a quote, and notes. No
 * score: the score is computed from the verdicts, so it always reads off the list.
 */
export const keyPointVerdictSchema = z.object({
  id: z.string().describe('The key point id, exactly as given.'),
  status: z.enum(['covered', 'partial', 'missing']),
  evidence: z
    .string()
    .nullable()
    .describe(
      'The shortest span of the candidate answer that shows the point, copied verbatim; null when nothing shows it.',
    ),
});

export const misconceptionVerdictSchema = z.object({
  id: z.string().describe("The known mistake's id, exactly as given."),
  evidence: z.string().describe('The span of the candidate answer that states the wrong claim, copied verbatim.'),
});

export const llmVerdictSchema = z.object({
  keyPoints: z.array(keyPointVerdictSchema).describe('One verdict per key point, in the order given.'),
  misconceptions: z
    .array(misconceptionVerdictSchema)
    .default([])
    .describe('The known mistakes the answer states as its own claim, each with its quote; empty when it states none.'),
  rationale: z
    .string()
    .min(1)
    .describe(
      "Two to four sentences, as a senior interviewer's notes: what the answer gets right, what it misses or gets wrong.",
    ),
});

export type KeyPointVerdict = z.infer<typeof keyPointVerdictSchema>;
export type MisconceptionVerdict = z.infer<typeof misconceptionVerdictSchema>;
export type LlmVerdict = z.infer<typeof llmVerdictSchema>;

export const VERDICT_TOOL_NAME = 'record_grade';

/** JSON Schema of the verdict, handed to the client as is: our own zod check decides what counts. */
export function verdictJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(llmVerdictSchema, { target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  // Asked for always (strict structured output lists every property as required); a reply
  // without it still parses as none. "default" is not a keyword strict mode accepts.
  delete (schema.properties as Record<string, Record<string, unknown>>).misconceptions.default;
  return { ...schema, description: 'The grade of one interview answer, key point by key point.' };
}
