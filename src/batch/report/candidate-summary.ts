import { bandFor } from '../../grading/grade-schema.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import type { InputProblem } from '../batch-answer.js';
import { questionColumnKey, type ResultRow } from '../result-row.js';
import { reviewReasons } from './review-reasons.js';
import type { StoredOverride } from '../input/reviewer-overrides.js';
import type { SimilarGroup } from './similar-answers.js';

export type QuestionSummary = {
  key: string;
  /** What people read: the bank id, or the first words of a question without one (unique in the batch). */
  label: string;
  question: string;
  maxScore: number;
  /** The latest grade of each candidate who answered it. */
  rows: ResultRow[];
};

export type CandidateSummary = {
  candidateId: string;
  /** 1 for the best; candidates with equal totals share a rank ("1, 2, 2, 4"). */
  rank: number;
  answers: Map<string, ResultRow>;
  total: number;
  /** The sum of the maxima of the questions the candidate was set: those graded, and in take-homes those left out. */
  maxTotal: number;
  normalizedTotal: number;
  /** Take-homes: questions of the folder left out of this candidate's take-home, counted 0. */
  missing: string[];
  /** Questions the candidate answered with nothing (graded 0, flagged empty). */
  empty: string[];
  /** Answers with something in them: the empty ones are graded but not answered. */
  answered: number;
  /** What of the candidate's input could not be graded (errors.jsonl): in no total, and shown beside it. */
  notGraded: InputProblem[];
  reviewCount: number;
};

export type ReviewItem = { row: ResultRow; reasons: string[] };

export type BatchSummary = {
  questions: QuestionSummary[];
  candidates: CandidateSummary[];
  reviews: ReviewItem[];
  answerCount: number;
  /** How many of the counted grades each scorer produced. */
  byMode: { local: number; llm: number };
  /** Take-homes, or questions declared with --questions: every candidate was set the same questions. */
  sharedQuestions: boolean;
  /** The questions declared with --questions, when they were. */
  declaredQuestions: string[] | undefined;
  /** Answers of different candidates to one question that share most of their text. */
  similarGroups: SimilarGroup[];
};

export type SummaryOptions = {
  /** Rows and sections that were not graded (errors.jsonl). */
  problems?: readonly InputProblem[];
  /**
   * Take-homes: every candidate with a file, each set every question of the folder, so a question
   * left out counts 0. Without it, a candidate is scored on the questions with a grade for them.
   */
  takeHomeCandidates?: readonly string[];
  /** Groups of similar answers (findSimilarAnswers), shown in the report and similar.csv. */
  similarGroups?: readonly SimilarGroup[];
  /**
   * The bank questions every candidate was set (`--questions`): a question of them a candidate did
   * not answer counts 0 as "no answer", in a CSV or JSONL as in take-homes.
   */
  declaredQuestions?: readonly string[];
  /** Reviewers' scores (overrides.jsonl): each replaces the grade of the answer it was given for, if its text is unchanged. */
  overrides?: readonly StoredOverride[];
};

/**
 * Ranks candidates from every row of results.jsonl. A candidate graded twice on a question (the
 * answer changed between runs) counts with the later grade.
 */
export function summarizeResults(
  rows: readonly ResultRow[],
  bank: QuestionBank,
  options: SummaryOptions = {},
): BatchSummary {
  const declared = options.declaredQuestions === undefined ? undefined : new Set(options.declaredQuestions);
  const sharedQuestions = options.takeHomeCandidates !== undefined || declared !== undefined;
  const latest = new Map<string, Map<string, ResultRow>>();
  for (const candidateId of options.takeHomeCandidates ?? []) latest.set(candidateId, new Map());
  const overrides = new Map(
    (options.overrides ?? []).map((override) => [
      `${override.candidateId}\t${override.questionKey}\t${override.answerSha256}`,
      override,
    ]),
  );
  for (const graded of rows) {
    const row = withOverride(
      graded,
      overrides.get(`${graded.candidateId}\t${questionColumnKey(graded)}\t${graded.answerSha256}`),
    );
    let answers = latest.get(row.candidateId);
    if (!answers) latest.set(row.candidateId, (answers = new Map()));
    answers.delete(questionColumnKey(row));
    answers.set(questionColumnKey(row), row);
  }
  const questionRows = new Map<string, ResultRow[]>();
  for (const answers of latest.values()) {
    for (const [key, row] of answers) {
      const list = questionRows.get(key);
      if (list) list.push(row);
      else questionRows.set(key, [row]);
    }
  }
  // A declared question nobody answered still has its column, of zeros.
  for (const key of declared ?? []) if (!questionRows.has(key)) questionRows.set(key, []);
  const questions = [...questionRows.entries()]
    .map(([key, list]) => ({
      key,
      label: key,
      question: bank.get(key)?.question ?? list.find((row) => row.question)?.question ?? key,
      maxScore: list.length > 0 ? Math.max(...list.map((row) => row.maxScore)) : (bank.get(key)?.maxScore ?? 5),
      rows: list,
    }))
    .sort((left, right) => bankOrder(bank, left.key) - bankOrder(bank, right.key) || compareKeys(left.key, right.key));
  labelQuestions(questions, bank);
  const reviews: ReviewItem[] = [];
  const problemsOf = new Map<string, InputProblem[]>();
  for (const problem of options.problems ?? []) {
    if (problem.candidateId === undefined || problem.kind === 'duplicate_answer') continue;
    const list = problemsOf.get(problem.candidateId);
    if (list) list.push(problem);
    else problemsOf.set(problem.candidateId, [problem]);
  }
  const candidates = [...latest.entries()].map(([candidateId, answers]): CandidateSummary => {
    let total = 0;
    let reviewCount = 0;
    const missing = sharedQuestions
      ? questions.filter(
          (question) => (declared === undefined || declared.has(question.key)) && !answers.has(question.key),
        )
      : [];
    let maxTotal = missing.reduce((sum, question) => sum + question.maxScore, 0);
    for (const row of answers.values()) {
      total += row.score;
      maxTotal += row.maxScore;
      // A reviewer has decided a reviewed answer: it is no longer to review.
      const reasons = row.reviewed ? [] : reviewReasons(row);
      if (reasons.length > 0) {
        reviews.push({ row, reasons });
        reviewCount += 1;
      }
    }
    const notGraded = (problemsOf.get(candidateId) ?? []).filter(
      (problem) => problem.questionKey === undefined || !answers.has(problem.questionKey),
    );
    return {
      candidateId,
      rank: 0,
      answers,
      total: round(total),
      maxTotal: round(maxTotal),
      normalizedTotal: maxTotal > 0 ? round(total / maxTotal, 4) : 0,
      missing: missing.map((question) => question.key),
      empty: [...answers].filter(([, row]) => row.flags.includes('empty')).map(([key]) => key),
      answered: [...answers.values()].filter((row) => !row.flags.includes('empty')).length,
      notGraded,
      reviewCount,
    };
  });
  candidates.sort(
    (left, right) =>
      right.normalizedTotal - left.normalizedTotal ||
      right.total - left.total ||
      compareKeys(left.candidateId, right.candidateId),
  );
  candidates.forEach((candidate, index) => {
    const previous = candidates[index - 1];
    candidate.rank = previous && previous.normalizedTotal === candidate.normalizedTotal ? previous.rank : index + 1;
  });
  const order = new Map(candidates.map((candidate, index) => [candidate.candidateId, index]));
  reviews.sort(
    (left, right) =>
      (order.get(left.row.candidateId) ?? 0) - (order.get(right.row.candidateId) ?? 0) ||
      compareKeys(questionColumnKey(left.row), questionColumnKey(right.row)),
  );
  const answerCount = candidates.reduce((sum, candidate) => sum + candidate.answers.size, 0);
  const byMode = { local: 0, llm: 0 };
  for (const candidate of candidates) for (const row of candidate.answers.values()) byMode[row.mode] += 1;
  return {
    questions,
    candidates,
    reviews,
    answerCount,
    byMode,
    sharedQuestions,
    declaredQuestions: options.declaredQuestions && [...options.declaredQuestions],
    similarGroups: [...(options.similarGroups ?? [])],
  };
}

/** The grade as the reviewer scored it: score, share and band follow the reviewer; the grader's score is kept beside. */
function withOverride(row: ResultRow, override: StoredOverride | undefined): ResultRow {
  if (!override) return row;
  const normalizedScore = row.maxScore > 0 ? override.score / row.maxScore : 0;
  return {
    ...row,
    score: override.score,
    normalizedScore,
    band: bandFor(normalizedScore),
    reviewed: {
      graderScore: override.graderScore,
      reviewedAt: override.reviewedAt,
      ...(override.note ? { note: override.note } : {}),
    },
  };
}

const LABEL_WORDS = 6;
const LABEL_LENGTH = 40;

/** A question without a bank id is labelled by its first words, numbered when two begin alike. */
function labelQuestions(questions: QuestionSummary[], bank: QuestionBank): void {
  const used = new Set(questions.filter((question) => bank.get(question.key)).map((question) => question.key));
  for (const question of questions) {
    if (bank.get(question.key) || question.question === question.key) continue;
    const base = firstWords(question.question);
    let label = base;
    for (let number = 2; used.has(label); number += 1) label = `${base} (${number})`;
    used.add(label);
    question.label = label;
  }
}

function firstWords(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let label = flat.split(' ').slice(0, LABEL_WORDS).join(' ');
  if (label.length > LABEL_LENGTH)
    label = label.slice(0, LABEL_LENGTH).replace(/\s+\S*$/, '') || label.slice(0, LABEL_LENGTH);
  return label.length < flat.length ? `${label.replace(/[\s,;:.?!]+$/, '')}…` : label;
}

/** Bank questions in the bank's order, then ad-hoc ones. */
function bankOrder(bank: QuestionBank, key: string): number {
  const index = bank.rubrics.findIndex((rubric) => rubric.id === key);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** "q2" before "q10"; then plain text order. */
export function compareKeys(left: string, right: string): number {
  return (
    left.localeCompare(right, 'en', { numeric: true, sensitivity: 'base' }) ||
    (left < right ? -1 : left > right ? 1 : 0)
  );
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
