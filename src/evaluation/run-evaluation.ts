import { AnswerkeyError } from '../errors/answerkey-error.js';
import { createReferenceResolver, type GradeRequest } from '../grading/grading-pipeline.js';
import { MODEL_TERM_NAMES, modelInputs, predict, type LinearModel, type ModelTerm } from '../grading/local-scorer/features.js';
import { combineScore, type LocalAssessment, type LocalScorer } from '../grading/local-scorer/local-scorer.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { DatasetRow } from './dataset.js';
import { fitLinear } from './fit-linear.js';
import { agreement, type AgreementMetrics } from './metrics.js';

export interface ScoredRow {
  row: DatasetRow;
  /** On the row's own scale (0 … max_score). */
  predicted: number;
  assessment: LocalAssessment;
}

export interface EvaluationResult {
  overall: AgreementMetrics;
  byDataset: Record<string, AgreementMetrics>;
  /** Number of question-level folds the weights were refitted over, or null for the shipped weights. */
  folds: number | null;
  rows: ScoredRow[];
}

export interface EvaluationOptions {
  bank: QuestionBank;
  scorer: LocalScorer;
  /** Refit the weights K times, each time scoring one group of questions it never saw. */
  folds?: number;
}

/** Questions, not answers, are split across folds: nothing fitted sees the question it scores. */
export function questionFolds(keys: readonly string[], folds: number): number[] {
  const distinct = [...new Set(keys)].sort();
  // A fixed shuffle (by a hash of the key) so folds do not follow the data set's own ordering.
  const hash = (text: string) => [...text].reduce((value, character) => Math.imul(value ^ character.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const order = distinct.sort((a, b) => hash(a) - hash(b) || a.localeCompare(b));
  const foldOf = new Map(order.map((key, index) => [key, index % folds]));
  return keys.map((key) => foldOf.get(key) ?? 0);
}

/**
 * Fits the local scorer's linear model to human grades (normalised to 0–1), with no term allowed
 * to count against an answer. Empty answers are left out: they score 0 whatever the model says.
 */
export function fitScorerCoefficients(
  assessments: readonly LocalAssessment[],
  targets: readonly number[],
  terms: readonly ModelTerm[] = MODEL_TERM_NAMES,
): LinearModel {
  const usable = assessments.map((assessment, index) => ({ assessment, target: targets[index] })).filter(({ assessment }) => assessment.cap > 0);
  const fitted = fitLinear(
    usable.map(({ assessment }) => modelInputs(assessment.features, terms)),
    usable.map(({ target }) => target),
    { nonNegative: true },
  );
  return { terms: [...terms], ...fitted };
}

function rowRequest(row: DatasetRow): GradeRequest {
  return row.reference_answer === undefined
    ? { answer: row.answer, questionId: row.question_id, maxScore: row.max_score }
    : { answer: row.answer, question: row.question, referenceAnswer: row.reference_answer, maxScore: row.max_score };
}

function metricsFor(rows: readonly ScoredRow[]): AgreementMetrics {
  const step = rows[0].row.max_score >= 2 ? 1 : 0.25;
  return agreement(
    rows.map((scored) => scored.predicted),
    rows.map((scored) => scored.row.score),
    step,
  );
}

export async function evaluateRows(rows: readonly DatasetRow[], options: EvaluationOptions): Promise<EvaluationResult> {
  const resolve = createReferenceResolver({
    bank: options.bank,
    matchThreshold: 1,
    questionRetriever: () => Promise.reject(new AnswerkeyError('invalid_input', 'evaluation rows name their question by id')),
  });
  const assessments: LocalAssessment[] = [];
  for (const row of rows) assessments.push(options.scorer.assess(await resolve(rowRequest(row))));
  let normalized = assessments.map((assessment) => assessment.grade.normalizedScore);
  const folds = options.folds && options.folds > 1 ? options.folds : null;
  if (folds) {
    const foldOf = questionFolds(rows.map((row) => `${row.dataset}/${row.question_id}`), folds);
    const targets = rows.map((row) => row.score / row.max_score);
    normalized = normalized.slice();
    for (let fold = 0; fold < folds; fold += 1) {
      const training = assessments.filter((_, index) => foldOf[index] !== fold);
      const trainingTargets = targets.filter((_, index) => foldOf[index] !== fold);
      const weights = fitScorerCoefficients(training, trainingTargets);
      assessments.forEach((assessment, index) => {
        if (foldOf[index] === fold) normalized[index] = combineScore(predict(assessment.features, weights), assessment);
      });
    }
  }
  const scored = rows.map((row, index) => ({ row, predicted: normalized[index] * row.max_score, assessment: assessments[index] }));
  const byDataset: Record<string, AgreementMetrics> = {};
  for (const name of new Set(rows.map((row) => row.dataset))) {
    const subset = scored.filter((entry) => entry.row.dataset === name);
    if (subset.length >= 2) byDataset[name] = metricsFor(subset);
  }
  return { overall: metricsFor(scored), byDataset, folds, rows: scored };
}
