import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { Grade } from '../grading/grade-schema.js';
import {
  FITTED_TERMS,
  fitPanelPrior,
  gradeAtScore,
  guideByExamples,
  modelInputs,
  scoreUnderWeights,
  type LinearModel,
  type LocalAssessment,
  type LocalScorer,
  type ModelTerm,
  type PanelPrior,
} from '../grading/local-scorer/index.js';
import type { GradeRequest } from '../grading/grade-request.js';
import { createReferenceResolver } from '../grading/grading-pipeline.js';
import type { ScoringInput } from '../grading/scorer.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { DatasetRow } from './dataset.js';
import { chooseExamples, foldGroupOf, indicesBy, questionFolds, type FoldBy } from './evaluation-folds.js';
import type { AgreementSummary, EvaluatedAnswer, EvaluationSummary, MetricSpread } from './evaluation-summary.js';
import { fitLinear } from './fit-linear.js';
import { agreement, type AgreementMetrics } from './metrics.js';

export interface ScoredRow {
  row: DatasetRow;
  /** On the row's own scale (0 … max_score). */
  predicted: number;
  assessment: LocalAssessment;
  /** The grade worded at the predicted score (the shipped weights' own grade may differ under folds). */
  grade: Grade;
}

export interface EvaluationRun {
  /** Which answers became examples; null for a zero-shot run. */
  seed: number | null;
  overall: AgreementMetrics;
  byDataset: Record<string, AgreementMetrics>;
  rows: ScoredRow[];
}

export interface EvaluationResult {
  /** The first run's figures and rows (the only run when zero-shot). */
  overall: AgreementMetrics;
  byDataset: Record<string, AgreementMetrics>;
  rows: ScoredRow[];
  /** Number of folds the weights were refitted over, or null for the weights as loaded. */
  folds: number | null;
  runs: EvaluationRun[];
  summary: EvaluationSummary;
  /** Questions with too few answers to keep any for scoring after taking `shots` examples. */
  skippedQuestions: string[];
}

export interface EvaluationOptions {
  bank: QuestionBank;
  scorer: LocalScorer;
  /** Refit the weights K times, each time scoring one group of questions it never saw; 'all' leaves one group out at a time. */
  folds?: number | 'all';
  foldBy?: FoldBy;
  /** Graded answers per question given to the scorer as examples; the rest are scored. */
  shots?: number;
  seeds?: readonly number[];
  /** Named in the report, and with line numbers in errors about rows. */
  source?: string;
  /** Told as answers are graded: how many of how many (the first pass, then each seed's). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Fits the local scorer's linear model to human grades (normalised to 0–1), with no term allowed
 * to count against an answer. Empty answers are left out: they score 0 whatever the model says.
 */
export function fitScorerCoefficients(
  assessments: readonly LocalAssessment[],
  targets: readonly number[],
  terms: readonly ModelTerm[] = FITTED_TERMS,
): LinearModel {
  const usable = assessments
    .map((assessment, index) => ({ assessment, target: targets[index] }))
    .filter(({ assessment }) => assessment.cap > 0);
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

function runOf(seed: number | null, scored: ScoredRow[]): EvaluationRun {
  const byDataset: Record<string, AgreementMetrics> = {};
  for (const name of new Set(scored.map((entry) => entry.row.dataset))) {
    const subset = scored.filter((entry) => entry.row.dataset === name);
    if (subset.length >= 2) byDataset[name] = metricsFor(subset);
  }
  return { seed, overall: metricsFor(scored), byDataset, rows: scored };
}

/**
 * 0–1 scores from the reference alone: as the scorer gave them, or from weights refitted without
 * each row's group. `underWeightsOf(index)` gives every row's score under the weights that score
 * row `index`, so that evidence weighed against an answer (its panel's examples) comes from the
 * same weights as the answer's own score.
 */
function referenceScores(
  rows: readonly DatasetRow[],
  assessments: readonly LocalAssessment[],
  folds: number | null,
  foldBy: FoldBy,
) {
  const asLoaded = assessments.map((assessment) => assessment.referenceScore);
  if (!folds) return { scores: asLoaded, underWeightsOf: (_index: number) => asLoaded };
  const foldOf = questionFolds(
    rows.map((row) => foldGroupOf(row, foldBy)),
    folds,
  );
  const targets = rows.map((row) => row.score / row.max_score);
  const byFold: number[][] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const weights = fitScorerCoefficients(
      assessments.filter((_, index) => foldOf[index] !== fold),
      targets.filter((_, index) => foldOf[index] !== fold),
    );
    byFold.push(assessments.map((assessment) => scoreUnderWeights(assessment, weights)));
  }
  return {
    scores: rows.map((_, index) => byFold[foldOf[index]][index]),
    underWeightsOf: (index: number) => byFold[foldOf[index]],
  };
}

function spread(values: readonly number[]): MetricSpread {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

function summarize(metrics: readonly AgreementMetrics[]): AgreementSummary {
  const pick = (name: Exclude<keyof AgreementMetrics, 'n'>) => spread(metrics.map((entry) => entry[name]));
  return {
    n: metrics[0].n,
    pearson: pick('pearson'),
    spearman: pick('spearman'),
    rmse: pick('rmse'),
    mae: pick('mae'),
    qwk: pick('qwk'),
  };
}

export async function evaluateRows(rows: readonly DatasetRow[], options: EvaluationOptions): Promise<EvaluationResult> {
  const resolve = createReferenceResolver({
    bank: options.bank,
    matchThreshold: 1,
    questionRetriever: () =>
      Promise.reject(new AnswerkeyError('invalid_input', 'evaluation rows name their question by id')),
  });
  for (const row of rows) {
    if (row.reference_answer === undefined && !options.bank.get(row.question_id)) {
      const where =
        row.lineNumber === undefined
          ? (options.source ?? 'dataset')
          : `${options.source ?? 'dataset'}:${row.lineNumber}`;
      throw new AnswerkeyError(
        'dataset_invalid',
        `${where}: question_id "${row.question_id}" is not in the bank, and the row has no reference_answer`,
        {
          hint: 'give the row its question and reference_answer, or grade with the bank it names',
          details: { reason: 'dataset_question_unknown' },
        },
      );
    }
  }
  const inputs: ScoringInput[] = [];
  for (const row of rows) inputs.push(await resolve(rowRequest(row)));
  const shots = options.shots ?? 0;
  const seeds = shots > 0 ? (options.seeds ?? [1]) : [];
  const questions = indicesBy(rows, (row) => foldGroupOf(row, 'question'));
  const skippedQuestions =
    shots > 0 ? [...questions].filter(([, members]) => members.length <= shots).map(([key]) => key) : [];
  for (const key of skippedQuestions) questions.delete(key);

  const scoredPerSeed = [...questions.values()].reduce((sum, members) => sum + members.length - shots, 0);
  const total = rows.length + seeds.length * scoredPerSeed;
  let done = 0;
  const graded = () => options.onProgress?.((done += 1), total);
  const assessments = inputs.map((input) => {
    const assessment = options.scorer.assess(input);
    graded();
    return assessment;
  });
  const foldBy = options.foldBy ?? 'question';
  const groupCount = new Set(rows.map((row) => foldGroupOf(row, foldBy))).size;
  const folds =
    options.folds === 'all'
      ? groupCount
      : options.folds && options.folds > 1
        ? Math.min(options.folds, groupCount)
        : null;
  if (options.folds !== undefined && (folds ?? 0) < 2) {
    throw new AnswerkeyError(
      'dataset_invalid',
      `folds need at least 2 ${foldBy === 'question' ? 'questions' : 'assignments'}; this file has ${groupCount}`,
      { details: { reason: 'too_few_fold_groups', foldBy } },
    );
  }
  const { scores: fromReference, underWeightsOf } = referenceScores(rows, assessments, folds, foldBy);

  const runs: EvaluationRun[] = [];
  if (shots === 0) {
    runs.push(
      runOf(
        null,
        rows.map((row, index) => ({
          row,
          predicted: fromReference[index] * row.max_score,
          assessment: assessments[index],
          grade: gradeAtScore(
            assessments[index].grade,
            fromReference[index],
            undefined,
            assessments[index].keyPointSource,
          ),
        })),
      ),
    );
  }
  for (const seed of seeds) {
    const chosen = chooseExamples(questions, shots, seed);
    // The panel: every question's examples, scored under the weights of the answer they are weighed against.
    const panels = new Map<number[], PanelPrior>();
    const panelFor = (index: number): PanelPrior => {
      const scores = underWeightsOf(index);
      let panel = panels.get(scores);
      if (!panel) {
        const pairsOf = (members: readonly number[]) =>
          members
            .filter((member) => chosen.has(member))
            .map((member) => ({
              referenceScore: scores[member],
              humanScore: rows[member].score / rows[member].max_score,
            }));
        panel = fitPanelPrior([...questions.values()].map(pairsOf));
        panels.set(scores, panel);
      }
      return panel;
    };
    const scored: ScoredRow[] = [];
    for (const members of questions.values()) {
      const examples: GradedExample[] = members
        .filter((index) => chosen.has(index))
        .map((index) => ({
          id: `row-${index + 1}`,
          questionId: rows[index].question_id,
          answer: rows[index].answer,
          score: rows[index].score,
          maxScore: rows[index].max_score,
        }));
      for (const index of members) {
        if (chosen.has(index)) continue;
        const assessment = options.scorer.assess({ ...inputs[index], examples });
        graded();
        // The examples' own reference scores come from the same (possibly refitted) weights as this answer's.
        const evidence = assessment.examples.map((example) => ({
          ...example,
          referenceScore: fromReference[Number(example.id.slice(4)) - 1],
        }));
        const zeroShot = assessments[index];
        const guidance =
          assessment.cap > 0 ? guideByExamples(fromReference[index], evidence, panelFor(index)) : undefined;
        const normalized = guidance ? Math.min(guidance.score, assessment.cap) : 0;
        const grade = gradeAtScore(
          zeroShot.grade,
          normalized,
          guidance && { examples: evidence, guidance, referenceScore: fromReference[index] },
          zeroShot.keyPointSource,
        );
        scored.push({ row: rows[index], predicted: normalized * rows[index].max_score, assessment, grade });
      }
    }
    if (scored.length < 2) {
      throw new AnswerkeyError('dataset_invalid', `with --shots ${shots} no question keeps answers to score`, {
        hint: 'each question needs more answers than graded examples',
        details: { reason: 'too_many_shots' },
      });
    }
    runs.push(runOf(seed, scored));
  }

  const first = runs[0];
  const indexOf = new Map(rows.map((row, index) => [row, index]));
  const answers: EvaluatedAnswer[] = first.rows.map(({ row, predicted, grade }) => {
    const index = indexOf.get(row) ?? 0;
    return {
      dataset: row.dataset,
      questionId: row.question_id,
      question: inputs[index].question,
      referenceAnswer: inputs[index].referenceAnswer,
      answer: row.answer,
      human: row.score,
      predicted,
      maxScore: row.max_score,
      grade,
    };
  });
  const datasetNames = Object.keys(first.byDataset);
  const summary: EvaluationSummary = {
    source: options.source ?? 'dataset',
    protocol: { shots, seeds, folds, foldBy },
    overall: summarize(runs.map((run) => run.overall)),
    byDataset: Object.fromEntries(
      datasetNames.map((name) => [name, summarize(runs.map((run) => run.byDataset[name]))]),
    ),
    answers,
  };
  return {
    overall: first.overall,
    byDataset: first.byDataset,
    rows: first.rows,
    folds,
    runs,
    summary,
    skippedQuestions,
  };
}
