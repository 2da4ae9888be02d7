import type {
  AgreementSummary,
  EvaluatedAnswer,
  EvaluationSummary,
  MetricSpread,
} from '../../src/evaluation/evaluation-summary.js';
import { bandFor, type Grade, type GradeFlag } from '../../src/grading/grade-schema.js';

/** A local-mode grade of `score` out of `maxScore`; anything else can be overridden. */
export function makeGrade(score: number, maxScore: number, overrides: Partial<Grade> = {}): Grade {
  return {
    questionId: null,
    score,
    maxScore,
    normalizedScore: score / maxScore,
    band: bandFor(score / maxScore),
    rationale: 'A fair answer: it makes 1 of 2 key points.',
    misconceptions: [],
    keyPoints: [
      { id: 'first', text: 'The first key point', status: 'covered', evidence: 'quoted words' },
      { id: 'second', text: 'The second key point', status: 'missing', evidence: null },
    ],
    confidence: 0.8,
    mode: 'local',
    reference: { questionId: null, similarity: 1 },
    flags: [],
    ...overrides,
  };
}

export interface AnswerOptions {
  dataset?: string;
  maxScore?: number;
  flags?: GradeFlag[];
  confidence?: number;
  questionId?: string;
  answer?: string;
  grade?: Partial<Grade>;
}

export function evaluatedAnswer(human: number, predicted: number, options: AnswerOptions = {}): EvaluatedAnswer {
  const maxScore = options.maxScore ?? (options.dataset === 'saf-en' ? 1 : 5);
  return {
    dataset: options.dataset ?? 'mohler',
    questionId: options.questionId ?? 'q1',
    question: 'What does a stack do?',
    referenceAnswer: 'It keeps items last in, first out.',
    answer: options.answer ?? 'It is last in, first out.',
    human,
    predicted,
    maxScore,
    grade: makeGrade(predicted, maxScore, {
      flags: options.flags ?? [],
      confidence: options.confidence ?? 0.8,
      ...options.grade,
    }),
  };
}

function spread(mean: number, sd = 0): MetricSpread {
  return { mean, sd, min: mean - sd, max: mean + sd };
}

function agreementSummary(n: number, sd = 0): AgreementSummary {
  return {
    n,
    pearson: spread(0.5, sd),
    spearman: spread(0.55, sd),
    rmse: spread(0.9, sd),
    mae: spread(0.7, sd),
    qwk: spread(0.4, sd),
  };
}

/** A summary around `answers` whose metrics are placeholders: the report only formats them. */
export function summaryOf(answers: EvaluatedAnswer[], seeds: number[] = [1]): EvaluationSummary {
  const sd = seeds.length > 1 ? 0.02 : 0;
  const byDataset: Record<string, AgreementSummary> = {};
  for (const dataset of new Set(answers.map((answer) => answer.dataset))) {
    byDataset[dataset] = agreementSummary(answers.filter((answer) => answer.dataset === dataset).length, sd);
  }
  return {
    source: 'dev.jsonl',
    protocol: { shots: 0, seeds, folds: null, foldBy: 'question' },
    overall: agreementSummary(answers.length, sd),
    byDataset,
    answers,
  };
}
