import {
  fitScoreMapping,
  scoreUnderWeights,
  type LocalScorer,
  type LocalScorerWeights,
} from '../grading/local-scorer/index.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { DatasetRow } from './dataset.js';
import { agreement, type AgreementMetrics } from './metrics.js';
import { indicesBy } from './evaluation-folds.js';
import { evaluateRows, fitScorerCoefficients } from './run-evaluation.js';

export interface CalibrationOptions {
  bank: QuestionBank;
  /** Scores with the weights being replaced; its alignment settings are kept. */
  scorer: LocalScorer;
  weights: LocalScorerWeights;
  /** Question-level folds for the estimate of how the refitted weights do on unseen questions. */
  folds: number;
  /** A bank question gets its own score mapping from this many graded answers. */
  minAnswersPerQuestion: number;
  source: string;
}

export interface CalibrationResult {
  weights: LocalScorerWeights;
  /** The weights as they were, on every row. */
  before: AgreementMetrics;
  /** Refitted without each row's question (null when the file has too few questions for folds). */
  crossValidated: AgreementMetrics | null;
  /** Bank question id → graded answers it was mapped from. */
  mappedQuestions: Record<string, number>;
  /**
   * The mappings checked on answers they were not fitted on (5 folds of answers within each mapped
   * question), against the refitted model alone on the same answers; null without mappings.
   */
  mappingCheck: { withMapping: AgreementMetrics; withoutMapping: AgreementMetrics } | null;
  /** Rows that name a bank question without a reference of their own: only these can be mapped. */
  bankRows: number;
  /** Questions given inline (with their own reference answer): mappings apply to bank questions only. */
  inlineQuestions: number;
}

/**
 * Fits the local scorer to one set of human grades: the linear model on every row (its scale
 * included: these are the graders whose scale the grades should follow), then, per bank question
 * with enough graded answers, a mapping from the refitted score to theirs.
 */
export async function calibrate(rows: readonly DatasetRow[], options: CalibrationOptions): Promise<CalibrationResult> {
  const asLoaded = await evaluateRows(rows, { bank: options.bank, scorer: options.scorer });
  const questionCount = new Set(rows.map((row) => `${row.dataset}/${row.question_id}`)).size;
  const crossValidated =
    questionCount >= 2
      ? (
          await evaluateRows(rows, {
            bank: options.bank,
            scorer: options.scorer,
            folds: Math.min(options.folds, questionCount),
          })
        ).overall
      : null;
  const assessments = asLoaded.rows.map((scored) => scored.assessment);
  const targets = rows.map((row) => row.score / row.max_score);
  const model = fitScorerCoefficients(assessments, targets);
  const refitted = assessments.map((assessment) => scoreUnderWeights(assessment, model));

  // Only rows graded against a bank entry can be mapped: inline questions have no id to find them by later.
  const byQuestion = indicesBy(rows, (row) =>
    row.reference_answer === undefined && options.bank.get(row.question_id) ? row.question_id : undefined,
  );
  const checked = { mapped: [] as number[], unmapped: [] as number[], human: [] as number[] };
  const questionMappings: NonNullable<LocalScorerWeights['questionMappings']> = {};
  const mappedQuestions: Record<string, number> = {};
  for (const [questionId, members] of byQuestion) {
    const usable = members.filter((index) => assessments[index].cap > 0);
    if (usable.length < options.minAnswersPerQuestion) continue;
    const pairOf = (index: number) => ({ referenceScore: refitted[index], humanScore: targets[index] });
    const mapping = fitScoreMapping(usable.map(pairOf));
    usable.forEach((index, position) => {
      const trainingPairs = usable
        .filter((_, other) => other % MAPPING_CHECK_FOLDS !== position % MAPPING_CHECK_FOLDS)
        .map(pairOf);
      const heldOut = fitScoreMapping(trainingPairs);
      checked.mapped.push(clamp(heldOut.intercept + heldOut.slope * refitted[index]) * rows[index].max_score);
      checked.unmapped.push(refitted[index] * rows[index].max_score);
      checked.human.push(rows[index].score);
    });
    questionMappings[questionId] = {
      intercept: round(mapping.intercept),
      slope: round(mapping.slope),
      answers: usable.length,
    };
    mappedQuestions[questionId] = usable.length;
  }
  const weights: LocalScorerWeights = {
    ...options.weights,
    terms: [...model.terms],
    coefficients: model.coefficients.map(round),
    intercept: round(model.intercept),
    questionMappings: Object.keys(questionMappings).length > 0 ? questionMappings : undefined,
    fittedOn: `${options.source} (${rows.length} rows) by answerkey calibrate`,
    crossValidation: crossValidated
      ? {
          folds: Math.min(options.folds, questionCount),
          byQuestion: true,
          pearson: crossValidated.pearson,
          rmse: crossValidated.rmse,
        }
      : undefined,
  };
  const step = rows[0].max_score >= 2 ? 1 : 0.25;
  return {
    weights,
    before: asLoaded.overall,
    crossValidated,
    mappedQuestions,
    mappingCheck:
      checked.human.length >= 2
        ? {
            withMapping: agreement(checked.mapped, checked.human, step),
            withoutMapping: agreement(checked.unmapped, checked.human, step),
          }
        : null,
    bankRows: [...byQuestion.values()].reduce((sum, members) => sum + members.length, 0),
    inlineQuestions: new Set(rows.filter((row) => row.reference_answer !== undefined).map((row) => row.question_id))
      .size,
  };
}

const MAPPING_CHECK_FOLDS = 5;

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  return Number(value.toFixed(5));
}
