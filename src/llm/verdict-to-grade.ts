import { bandFor, type Grade, type GradeFlag, type KeyPointResult } from '../grading/grade-schema.js';
import type { SuspiciousSpan } from '../grading/injection-detector.js';
import type { LocalAssessment } from '../grading/local-scorer/local-scorer.js';
import type { ScoringInput } from '../grading/scorer.js';
import { verifyEvidence } from './evidence-check.js';
import type { LlmVerdict } from './llm-verdict-schema.js';

const STATUS_CREDIT = { covered: 1, partial: 0.5, missing: 0 } as const;

export type VerdictGradeContext = {
  input: ScoringInput;
  local: LocalAssessment;
  /** Instruction-like spans of the answer: a quote from them is not evidence of knowledge. */
  suspicious: readonly SuspiciousSpan[];
  /** Delimiter look-alikes defused in the answer. */
  neutralizedDelimiters: number;
  repaired: boolean;
};

export type VerdictGrade = {
  grade: Grade;
  /** Points credited (covered or partial) without a quote found in the answer, over those credited. */
  unsupportedShare: number;
};

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The model's verdicts as a grade: the score is the weighted tally computed here, every quote is
 * checked against the answer (an invented one is dropped and lowers confidence), and the
 * deterministic checks of the local scorer (parroting, keyword lists, injections) still apply.
 */
export function verdictToGrade(verdict: LlmVerdict, context: VerdictGradeContext): VerdictGrade {
  const { input, local, suspicious } = context;
  const byId = new Map(verdict.keyPoints.map((entry) => [entry.id.trim().toLowerCase(), entry]));
  let invented = 0;
  let skipped = 0;
  let credited = 0;
  let unsupported = 0;
  const keyPoints: KeyPointResult[] = input.keyPoints.map((keyPoint) => {
    const entry = byId.get(keyPoint.id.toLowerCase());
    if (!entry) {
      skipped += 1;
      return { id: keyPoint.id, text: keyPoint.text, status: 'missing', evidence: null };
    }
    let found = verifyEvidence(entry.evidence, input.answer);
    if (entry.evidence !== null && found === null) invented += 1;
    if (found && suspicious.some((span) => found!.start < span.end && found!.end > span.start)) found = null;
    if (entry.status !== 'missing') {
      credited += 1;
      if (!found) unsupported += 1;
    }
    return { id: keyPoint.id, text: keyPoint.text, status: entry.status, evidence: found?.text ?? null };
  });
  const totalWeight = input.keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  const tally =
    totalWeight === 0
      ? 0
      : input.keyPoints.reduce((sum, keyPoint, index) => sum + keyPoint.weight * STATUS_CREDIT[keyPoints[index].status], 0) / totalWeight;
  const normalized = round(Math.min(tally, local.cap), 3);

  const flags: GradeFlag[] = [...local.grade.flags];
  if (context.neutralizedDelimiters > 0 && !flags.includes('injection_suspected')) flags.push('injection_suspected', 'needs_review');
  const notes = [verdict.rationale.trim(), 'Score computed from the key-point verdicts (covered 1, partial ½, weighted).'];
  if (invented > 0) notes.push(`${plural(invented, 'quote', 'quotes')} the model gave could not be found in the answer and ${invented === 1 ? 'was' : 'were'} dropped.`);
  if (skipped > 0) notes.push(`The model gave no verdict on ${plural(skipped, 'key point', 'key points')}; counted as missing.`);
  if (normalized < round(tally, 3)) notes.push(`Capped by the answer checks (${local.grade.flags.filter((flag) => flag !== 'needs_review').join(', ')}).`);
  if (flags.includes('injection_suspected')) notes.push('The answer contains text addressed to the grader; it earned nothing.');

  let confidence = 0.85;
  confidence -= Math.min(0.45, 0.15 * invented);
  confidence -= Math.min(0.3, 0.1 * skipped);
  if (context.repaired) confidence -= 0.05;
  if (flags.includes('injection_suspected')) confidence -= 0.2;
  if (input.reference.similarity < 0.8) confidence -= 0.25 * (0.8 - input.reference.similarity) / 0.8 + 0.1;

  const grade: Grade = {
    questionId: input.questionId,
    score: round(normalized * input.maxScore, 2),
    maxScore: input.maxScore,
    normalizedScore: normalized,
    band: bandFor(normalized),
    rationale: notes.join(' '),
    keyPoints,
    confidence: round(Math.min(0.95, Math.max(0.1, confidence)), 2),
    mode: 'llm',
    reference: input.reference,
    flags,
    misconceptions: [],
  };
  return { grade, unsupportedShare: credited === 0 ? 0 : unsupported / credited };
}
