import { z } from 'zod';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_" (for example "q4" or "eager-runs-immediately")');

/**
 * A wrong claim a candidate may make: stated in an answer, it costs `penalty` points on the
 * question's scale and, under a key point, marks that point as not made.
 */
export const misconceptionSchema = z
  .object({
    id: identifier,
    text: z.string().trim().min(3, 'state the wrong claim in a few words'),
    penalty: z.number().min(0, 'penalty must be 0 or more').max(100, 'penalty must be at most 100').default(1),
    alternatives: z.array(z.string().trim().min(3)).default([]),
  })
  .strict();

export const keyPointSchema = z
  .object({
    id: identifier,
    text: z.string().trim().min(3, 'describe the key point in a few words'),
    weight: z.number().positive('weight must be a positive number').max(10, 'weight must be at most 10').default(1),
    alternatives: z.array(z.string().trim().min(3)).default([]),
    misconceptions: z.array(misconceptionSchema).default([]),
  })
  .strict();

/**
 * Alternatives the question sets against each other ("eager" and "graph"): each side's name and
 * the terms that name it. A sentence stating one side's key point of the other does not make it.
 */
export const contrastSchema = z
  .record(z.string().trim().min(1), z.array(z.string().trim().min(1)))
  .refine((sides) => Object.keys(sides).length >= 2, 'a contrast names at least two sides, e.g. {eager: [eager mode], graph: [graph mode]}');

export const RUBRIC_TEST_KINDS = ['strong', 'paraphrase', 'partial', 'weak', 'wrong'] as const;

/** A graded test answer: never a graded example, never fitted on; `answerkey rubric test` checks it. */
export const rubricTestSchema = z
  .object({
    id: identifier,
    kind: z.enum(RUBRIC_TEST_KINDS),
    answer: z.string().trim().min(1, 'the test answer is empty'),
    expect: z
      .object({
        score: z.tuple([z.number().min(0), z.number().min(0)]).optional().describe('[lowest, highest] on the question\'s scale'),
        keyPoints: z.record(z.string(), z.enum(['covered', 'partial', 'missing', 'made', 'not-covered'])).optional(),
        misconceptions: z.array(z.string()).optional(),
        flags: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
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
    contrasts: z.array(contrastSchema).default([]),
    misconceptions: z.array(misconceptionSchema).default([]),
    keyPoints: z.array(keyPointSchema).min(3, 'a rubric needs 3 to 8 key points').max(8, 'a rubric needs 3 to 8 key points'),
    tests: z.array(rubricTestSchema).default([]),
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
    const misconceptionIds = new Set<string>();
    const checkMisconception = (id: string, path: PropertyKey[]) => {
      if (misconceptionIds.has(id)) context.addIssue({ code: 'custom', path, message: `duplicate misconception id "${id}"` });
      misconceptionIds.add(id);
    };
    rubric.misconceptions.forEach((misconception, index) => checkMisconception(misconception.id, ['misconceptions', index, 'id']));
    rubric.keyPoints.forEach((keyPoint, pointIndex) =>
      keyPoint.misconceptions.forEach((misconception, index) => checkMisconception(misconception.id, ['keyPoints', pointIndex, 'misconceptions', index, 'id'])),
    );
    const testIds = new Set<string>();
    rubric.tests.forEach((test, index) => {
      if (testIds.has(test.id)) context.addIssue({ code: 'custom', path: ['tests', index, 'id'], message: `duplicate test id "${test.id}"` });
      testIds.add(test.id);
      for (const keyPointId of Object.keys(test.expect.keyPoints ?? {})) {
        if (!seen.has(keyPointId)) context.addIssue({ code: 'custom', path: ['tests', index, 'expect', 'keyPoints', keyPointId], message: `no key point "${keyPointId}" in this rubric` });
      }
      for (const misconceptionId of test.expect.misconceptions ?? []) {
        if (!misconceptionIds.has(misconceptionId)) context.addIssue({ code: 'custom', path: ['tests', index, 'expect', 'misconceptions'], message: `no misconception "${misconceptionId}" in this rubric` });
      }
    });
  });

export type Misconception = z.infer<typeof misconceptionSchema>;
export type Contrast = z.infer<typeof contrastSchema>;
export type KeyPoint = z.infer<typeof keyPointSchema>;
export type RubricTest = z.infer<typeof rubricTestSchema>;
export type Rubric = z.infer<typeof rubricSchema>;

/** What of a rubric grading reads: all but its tests, which never change a grade (hashes leave them out). */
export function gradingContent(rubric: Rubric): Omit<Rubric, 'tests'> {
  const { tests: _tests, ...content } = rubric;
  return content;
}
