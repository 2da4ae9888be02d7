import type { Grade } from '../grading/grade-schema.js';
import type { AgreementMetrics } from './metrics.js';

/** How an evaluation was run, in words and numbers, for the table, the JSON and the HTML report. */
export interface EvaluationProtocol {
  /** Graded answers per question given to the scorer as examples (0 = zero-shot). */
  shots: number;
  /** One run per seed (which answers became examples); a single run when shots is 0. */
  seeds: readonly number[];
  /** Folds the fitted weights were refitted over, or null for the weights as loaded. */
  folds: number | null;
  foldBy: 'question' | 'assignment';
}

/** A metric over the runs of an evaluation: their mean and the spread between runs. */
export interface MetricSpread {
  mean: number;
  /** Standard deviation across seeds (0 for one run). */
  sd: number;
  min: number;
  max: number;
}

export type AgreementSummary = { n: number } & Record<Exclude<keyof AgreementMetrics, 'n'>, MetricSpread>;

/** One scored answer as the report shows it: what the grader saw, what it said, what the human said. */
export interface EvaluatedAnswer {
  dataset: string;
  questionId: string;
  question: string;
  referenceAnswer: string;
  answer: string;
  human: number;
  predicted: number;
  maxScore: number;
  grade: Grade;
}

export interface EvaluationSummary {
  source: string;
  protocol: EvaluationProtocol;
  overall: AgreementSummary;
  byDataset: Record<string, AgreementSummary>;
  /** The answers of the first run (first seed), each with its grade. */
  answers: EvaluatedAnswer[];
}
