import {
  bandFor,
  type Grade,
  type GradeFlag,
  type KeyPointResult,
  type MisconceptionResult,
} from '../grading/grade-schema.js';
import type { SuspiciousSpan } from '../grading/injection-detector.js';
import type { LocalAssessment } from '../grading/local-scorer/index.js';
import type { ScoringInput } from '../grading/scorer.js';
import { plural } from '../text/plural.js';
import { sentenceAround, verifyEvidence, type VerifiedEvidence } from './evidence-check.js';
import type { LlmVerdict } from './llm-verdict-schema.js';
import { findMisconceptions } from './misconception-findings.js';
import type { StatesPoint } from './quote-support.js';

const STATUS_CREDIT = { covered: 1, partial: 0.5, missing: 0 } as const;

export type VerdictGradeContext = {
  input: ScoringInput;
  local: LocalAssessment;
  /** Instruction-like spans of the answer: a quote from them is not evidence of knowledge. */
  suspicious: readonly SuspiciousSpan[];
  /** Delimiter look-alikes defused in the answer. */
  neutralizedDelimiters: number;
  repaired: boolean;
  /** Whether a sentence of the answer makes a key point, by the local scorer's alignment. */
  statesPoint: StatesPoint;
};

export type VerdictGrade = {
  grade: Grade;
  /** Points the model credited (covered or partial) whose quote did not hold, over those it credited. */
  unsupportedShare: number;
};

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const overlaps = (left: VerifiedEvidence, right: VerifiedEvidence) => left.start < right.end && right.start < left.end;

type Claim = { index: number; status: KeyPointResult['status']; quote: VerifiedEvidence | null; stated: boolean };

/** What became of the model's credit once its quotes were checked. */
type Tally = {
  invented: number;
  skipped: number;
  credited: number;
  unsupported: number;
  reused: number;
  unconfirmed: number;
};

/**
 * The model's verdict per key point, kept only as far as its quote bears it out: a quote must be
 * in the answer (not in text addressed to the grader), one quote supports one point, and the
 * quote's sentence must make the point by the local alignment, else a covered point counts as
 * partial. A point credited without a quote that holds is missing.
 */
function checkClaims(verdict: LlmVerdict, context: VerdictGradeContext, tally: Tally): KeyPointResult[] {
  const { input, suspicious, statesPoint } = context;
  const byId = new Map(verdict.keyPoints.map((entry) => [entry.id.trim().toLowerCase(), entry]));
  const claims: Claim[] = input.keyPoints.map((keyPoint, index) => {
    const entry = byId.get(keyPoint.id.toLowerCase());
    if (!entry) {
      tally.skipped += 1;
      return { index, status: 'missing', quote: null, stated: false };
    }
    let quote = verifyEvidence(entry.evidence, input.answer);
    if (entry.evidence !== null && quote === null) tally.invented += 1;
    if (quote && suspicious.some((span) => quote!.start < span.end && quote!.end > span.start)) quote = null;
    const stated = quote !== null && statesPoint(sentenceAround(input.answer, quote.start, quote.end), keyPoint.id);
    if (entry.status !== 'missing') tally.credited += 1;
    return { index, status: entry.status, quote, stated };
  });
  // One quote supports one point, unless its sentence states each point it is quoted for (one
  // sentence may make two): quotes the alignment confirms claim their span first, and a point
  // quoting words already claimed, without stating it, gets nothing from them.
  const used: VerifiedEvidence[] = [];
  for (const claim of [...claims].sort(
    (left, right) => Number(right.stated) - Number(left.stated) || left.index - right.index,
  )) {
    if (claim.status === 'missing' || !claim.quote) continue;
    if (!claim.stated && used.some((span) => overlaps(span, claim.quote!))) {
      claim.quote = null;
      tally.reused += 1;
      continue;
    }
    used.push(claim.quote);
  }
  return claims.map(({ index, status, quote, stated }) => {
    const keyPoint = input.keyPoints[index];
    let kept = status;
    if (status !== 'missing' && !quote) {
      tally.unsupported += 1;
      kept = 'missing';
    } else if (status === 'covered' && !stated) {
      tally.unsupported += 1;
      tally.unconfirmed += 1;
      kept = 'partial';
    }
    return { id: keyPoint.id, text: keyPoint.text, status: kept, evidence: kept === 'missing' ? null : quote!.text };
  });
}

function checkNotes(tally: Tally): string[] {
  const notes: string[] = [];
  if (tally.invented > 0)
    notes.push(
      `${plural(tally.invented, 'quote')} the model gave could not be found in the answer and ${tally.invented === 1 ? 'was' : 'were'} dropped.`,
    );
  if (tally.reused > 0)
    notes.push(
      `${plural(tally.reused, 'key point')} quoted words already quoted for another point, without stating ${tally.reused === 1 ? 'it' : 'them'}; one quote supports one point.`,
    );
  const unquoted = tally.unsupported - tally.unconfirmed;
  if (unquoted > 0)
    notes.push(
      `${plural(unquoted, 'key point')} the model credited without a quote that holds ${unquoted === 1 ? 'counts' : 'count'} as missing.`,
    );
  if (tally.unconfirmed > 0)
    notes.push(
      `${plural(tally.unconfirmed, 'quote')} did not state ${tally.unconfirmed === 1 ? 'its' : 'their'} point in the rubric's words or an accepted alternative, so ${tally.unconfirmed === 1 ? 'that point counts' : 'those points count'} as partial.`,
    );
  if (tally.skipped > 0)
    notes.push(`The model gave no verdict on ${plural(tally.skipped, 'key point')}; counted as missing.`);
  return notes;
}

/**
 * The model's verdicts as a grade: the score is the weighted tally computed here, less the
 * penalties of the misconceptions the answer states; every quote is checked against the answer
 * and the local alignment, and the deterministic checks of the local scorer (parroting, keyword
 * lists, injections) still apply.
 */
export function verdictToGrade(verdict: LlmVerdict, context: VerdictGradeContext): VerdictGrade {
  const { input, local } = context;
  const tally: Tally = { invented: 0, skipped: 0, credited: 0, unsupported: 0, reused: 0, unconfirmed: 0 };
  let keyPoints = checkClaims(verdict, context, tally);
  const found = findMisconceptions(verdict, { input, local, suspicious: context.suspicious, keyPoints });
  keyPoints = found.keyPoints;
  const totalWeight = input.keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  const credit =
    totalWeight === 0
      ? 0
      : input.keyPoints.reduce(
          (sum, keyPoint, index) => sum + keyPoint.weight * STATUS_CREDIT[keyPoints[index].status],
          0,
        ) / totalWeight;
  const penalized = Math.max(0, credit - found.penalty / input.maxScore);
  const normalized = round(Math.min(penalized, local.cap), 3);

  const flags: GradeFlag[] = [...local.grade.flags];
  const addFlag = (...added: GradeFlag[]) => added.forEach((flag) => flags.includes(flag) || flags.push(flag));
  if (context.neutralizedDelimiters > 0) addFlag('injection_suspected', 'needs_review');
  if (found.misconceptions.length > 0) addFlag('contradicts_reference', 'needs_review');
  const notes = [
    verdict.rationale.trim(),
    'Score computed from the key-point verdicts (covered 1, partial ½, weighted).',
    ...checkNotes(tally),
    ...found.notes,
  ];
  if (normalized < round(penalized, 3))
    notes.push(
      `Capped by the answer checks (${local.grade.flags.filter((flag) => flag !== 'needs_review').join(', ')}).`,
    );
  if (flags.includes('injection_suspected'))
    notes.push('The answer contains text addressed to the grader; it was kept from the model and earned nothing.');

  let confidence = 0.85;
  confidence -= Math.min(0.45, 0.15 * tally.invented);
  confidence -= Math.min(0.3, 0.1 * tally.skipped);
  if (context.repaired) confidence -= 0.05;
  if (flags.includes('injection_suspected')) confidence -= 0.2;
  if (found.misconceptions.length > 0) confidence -= 0.15;
  if (input.reference.similarity < 0.8) confidence -= (0.25 * (0.8 - input.reference.similarity)) / 0.8 + 0.1;

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
    misconceptions: found.misconceptions satisfies MisconceptionResult[],
  };
  return { grade, unsupportedShare: tally.credited === 0 ? 0 : tally.unsupported / tally.credited };
}
