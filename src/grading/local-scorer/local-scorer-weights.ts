import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { formatIssuePath } from '../../errors/format-issue-path.js';
import { MODEL_TERM_NAMES, type ModelTerm } from './features.js';

/** The local scorer's tunable numbers: written by scripts/fit-local-scorer.ts (shipped) or `answerkey calibrate`, loaded at start. */
export const localScorerWeightsSchema = z.object({
  terms: z.array(z.enum(MODEL_TERM_NAMES as [string, ...string[]]).transform((term) => term as ModelTerm)),
  coefficients: z.array(z.number()),
  intercept: z.number(),
  settings: z.object({
    similarityFloor: z.number().min(0).max(1),
    negationPenalty: z.number().min(0).max(1),
    questionDemotion: z.number().min(0).max(1),
    coveredAt: z.number().min(0).max(1),
    partialAt: z.number().min(0).max(1),
    loose: z
      .object({ similarityFloor: z.number().min(0).max(1), negationPenalty: z.number().min(0).max(1) })
      .optional(),
  }),
  /**
   * Per bank question, how this installation's graders' scores relate to the scorer's
   * (human ≈ intercept + slope × scorer), written by `answerkey calibrate` where enough graded answers exist.
   */
  questionMappings: z
    .record(z.string(), z.object({ intercept: z.number(), slope: z.number(), answers: z.number().int().positive() }))
    .optional(),
  fittedOn: z.string(),
  crossValidation: z.record(z.string(), z.unknown()).optional(),
});

export type LocalScorerWeights = z.infer<typeof localScorerWeightsSchema>;

export function loadLocalScorerWeights(path: string): LocalScorerWeights {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AnswerkeyError('invalid_config', `cannot read scorer weights at ${path}`, {
      hint: 'use a weights file written by calibration (or scripts/fit-local-scorer.ts), or the shipped one',
      details: { reason: 'weights_unreadable' },
      cause: error,
    });
  }
  const result = localScorerWeightsSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AnswerkeyError('invalid_config', `${path}: ${formatIssuePath(issue.path)}: ${issue.message}`, {
      hint: 'regenerate it with scripts/fit-local-scorer.ts',
    });
  }
  if (result.data.terms.length !== result.data.coefficients.length) {
    throw new AnswerkeyError('invalid_config', `${path}: terms and coefficients differ in length`, {
      hint: 'regenerate it with scripts/fit-local-scorer.ts',
    });
  }
  return result.data;
}
