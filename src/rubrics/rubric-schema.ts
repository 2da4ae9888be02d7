import { z } from 'zod';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_" (for example "q4" or "eager-runs-immediately")');

export const keyPointSchema = z
  .object({
    id: identifier,
    text: z.string().trim().min(3, 'describe the key point in a few words'),
    weight: z.number().positive('weight must be a positive number').max(10, 'weight must be at most 10').default(1),
    alternatives: z.array(z.string().trim().min(3)).default([]),
  })
  .strict();

export const rubricSchema = z
  .object({
    id: identifier,
    section: z.string().trim().default(''),
    bonus: z.boolean().default(false),
    question: z.string().trim().min(5, 'the question is empty or too short'),
    referenceAnswer: z.string().trim().min(1, 'the reference answer is empty'),
    maxScore: z.number().positive('maxScore must be a positive number').default(5),
    keyPoints: z.array(keyPointSchema).min(3, 'a rubric needs 3 to 8 key points').max(8, 'a rubric needs 3 to 8 key points'),
  })
  .strict()
  .superRefine((rubric, context) => {
    const seen = new Set<string>();
    rubric.keyPoints.forEach((keyPoint, index) => {
      if (seen.has(keyPoint.id)) {
        context.addIssue({ code: 'custom', path: ['keyPoints', index, 'id'], message: `duplicate key point id "${keyPoint.id}"` });
      }
      seen.add(keyPoint.id);
    });
  });

export type KeyPoint = z.infer<typeof keyPointSchema>;
export type Rubric = z.infer<typeof rubricSchema>;

/** "keyPoints[2].weight" from zod's path array. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, '');
}
