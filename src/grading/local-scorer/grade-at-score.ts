import { bandFor, type Grade } from '../grade-schema.js';
import type { ExampleEvidence, ExampleGuidance } from './example-guidance.js';
import { writeRationale } from './rationale.js';
import type { ScoringInput } from '../scorer.js';

type KeyPointSource = ScoringInput['keyPointSource'];

export interface GuidanceUsed {
  examples: readonly ExampleEvidence[];
  guidance: ExampleGuidance;
  /** The score from the reference alone, 0–1, before the examples weighed in. */
  referenceScore: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function describeGuidance(
  examples: NonNullable<Grade['examples']>,
  fromReference: number,
  final: number,
  maxScore: number,
): string {
  const weighty = examples.filter((example) => example.weight >= 0.05).slice(0, 3);
  const named = weighty.map((example) => `${example.id} (graded ${example.score}/${maxScore})`).join(', ');
  const count = `${examples.length} graded example${examples.length === 1 ? '' : 's'}`;
  return named
    ? `Against the reference alone it would score ${fromReference}/${maxScore}; ${count} of this question moved it to ${final}, most of all the nearest: ${named}.`
    : `Against the reference alone it would score ${fromReference}/${maxScore}; ${count} of this question (none close to this answer) recalibrated it to ${final}.`;
}

/**
 * The grade as it reads at a given 0–1 score: score, band and rationale agree with it, and with
 * the graded examples that moved it there. The scorer and the evaluation (whose refitted weights
 * give other scores than the shipped ones) both word their grades through here. The wording rests
 * on the score alone.
 */
export function gradeAtScore(
  grade: Grade,
  normalizedScore: number,
  guided: GuidanceUsed | undefined,
  /** Where the grade's key points came from, as the assessment that made it says. */
  keyPointSource: KeyPointSource,
): Grade {
  const normalized = Math.round(normalizedScore * 1000) / 1000;
  const result: Grade = {
    ...grade,
    score: round2(normalized * grade.maxScore),
    normalizedScore: normalized,
    band: bandFor(normalized),
    rationale: writeRationale(
      grade.keyPoints,
      grade.flags,
      normalized,
      { score: guided ? guided.referenceScore : normalized, keyPointSource },
      grade.misconceptions,
    ),
  };
  delete result.examples;
  if (!guided) return result;
  const { examples, guidance, referenceScore } = guided;
  result.examples = examples
    .map((example, index) => ({
      id: example.id,
      score: round2(example.humanScore * grade.maxScore),
      weight: round2(guidance.shares[index]),
      similarity: example.similarity,
    }))
    .sort((a, b) => b.similarity - a.similarity)
    .map(({ id, score, weight }) => ({ id, score, weight }));
  result.rationale = `${result.rationale} ${describeGuidance(result.examples, round2(referenceScore * grade.maxScore), result.score, grade.maxScore)}`;
  return result;
}
