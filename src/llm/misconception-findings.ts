import type { KeyPointResult, MisconceptionResult } from '../grading/grade-schema.js';
import type { SuspiciousSpan } from '../grading/injection-detector.js';
import type { LocalAssessment } from '../grading/local-scorer/index.js';
import type { ScoringInput } from '../grading/scorer.js';
import type { Misconception } from '../rubrics/rubric-schema.js';
import { plural } from '../text/plural.js';
import { verifyEvidence } from './evidence-check.js';
import type { LlmVerdict } from './llm-verdict-schema.js';

export type ListedMisconception = Misconception & { keyPointId: string | null };

/** Every misconception of the rubric, with the key point it contradicts (null for the question's own). */
export function listedMisconceptions(input: ScoringInput): ListedMisconception[] {
  return [
    ...input.keyPoints.flatMap((keyPoint) =>
      (keyPoint.misconceptions ?? []).map((misconception) => ({ ...misconception, keyPointId: keyPoint.id })),
    ),
    ...(input.misconceptions ?? []).map((misconception) => ({ ...misconception, keyPointId: null })),
  ];
}

export type MisconceptionContext = {
  input: ScoringInput;
  local: LocalAssessment;
  suspicious: readonly SuspiciousSpan[];
  keyPoints: readonly KeyPointResult[];
};

export type MisconceptionFindings = {
  misconceptions: MisconceptionResult[];
  /** The key points with those the answer contradicts marked missing. */
  keyPoints: KeyPointResult[];
  /** Points on the question's scale. */
  penalty: number;
  notes: string[];
};

/**
 * The wrong claims the answer states: those the model names from the rubric's list with a quote
 * found in the answer (an invented quote, an unknown id or a quote from text addressed to the
 * grader is dropped), together with those the local scorer found itself, since either reader
 * may miss one. Each costs its penalty once and marks the point it contradicts as not made.
 */
export function findMisconceptions(verdict: LlmVerdict, context: MisconceptionContext): MisconceptionFindings {
  const { input, local, suspicious } = context;
  const listed = new Map(listedMisconceptions(input).map((misconception) => [misconception.id, misconception]));
  const found = new Map<string, MisconceptionResult>();
  let dropped = 0;
  const inSuspiciousText = (start: number, end: number) =>
    suspicious.some((span) => start < span.end && end > span.start);
  for (const claim of verdict.misconceptions ?? []) {
    const misconception = listed.get(claim.id.trim().toLowerCase());
    const quote = verifyEvidence(claim.evidence, input.answer);
    if (!misconception || !quote || inSuspiciousText(quote.start, quote.end)) {
      dropped += 1;
      continue;
    }
    if (!found.has(misconception.id)) {
      found.set(misconception.id, {
        id: misconception.id,
        text: misconception.text,
        kind: 'listed',
        keyPointId: misconception.keyPointId,
        evidence: quote.text,
      });
    }
  }
  const localOnly: MisconceptionResult[] = [];
  for (const misconception of local.grade.misconceptions ?? []) {
    if (found.has(misconception.id) || !verifyEvidence(misconception.evidence, input.answer)) continue;
    found.set(misconception.id, misconception);
    localOnly.push(misconception);
  }
  const misconceptions = [...found.values()];
  const contradicted = new Set(
    misconceptions.map((misconception) => misconception.keyPointId).filter((id): id is string => id !== null),
  );
  const keyPoints = context.keyPoints.map((keyPoint) =>
    contradicted.has(keyPoint.id) ? { ...keyPoint, status: 'missing' as const, evidence: null } : keyPoint,
  );
  const penalty = misconceptions.reduce((sum, misconception) => sum + (listed.get(misconception.id)?.penalty ?? 0), 0);
  const notes = misconceptions.map(
    (misconception) =>
      `It states a known mistake, "${misconception.text}" ("${misconception.evidence}")${misconception.keyPointId ? `, which contradicts ${misconception.keyPointId}` : ''}${listed.get(misconception.id)?.penalty ? `: −${listed.get(misconception.id)!.penalty}` : ''}.`,
  );
  if (localOnly.length > 0)
    notes.push(
      `${plural(localOnly.length, 'of these was', 'of these were')} found by the local scorer, not the model.`,
    );
  if (dropped > 0)
    notes.push(
      `${plural(dropped, 'mistake')} the model reported without a quote found in the answer or outside the rubric's list ${dropped === 1 ? 'was' : 'were'} dropped.`,
    );
  return { misconceptions, keyPoints, penalty, notes };
}
