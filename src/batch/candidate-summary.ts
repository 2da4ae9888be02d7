import type { QuestionBank } from '../rubrics/question-bank.js';
import { questionColumnKey, type ResultRow } from './result-row.js';
import { reviewReasons } from './review-reasons.js';

export type QuestionSummary = {
  key: string;
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
  /** The sum of every question's maximum, answered or not: a skipped question counts as 0. */
  maxTotal: number;
  normalizedTotal: number;
  /** Question keys this candidate has no grade for. */
  missing: string[];
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
};

/**
 * Ranks candidates from every row of results.jsonl. A candidate graded twice on a question (the
 * answer changed between runs) counts with the later grade.
 */
export function summarizeResults(rows: readonly ResultRow[], bank: QuestionBank): BatchSummary {
  const latest = new Map<string, Map<string, ResultRow>>();
  for (const row of rows) {
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
  const questions = [...questionRows.entries()]
    .map(([key, list]) => ({
      key,
      question: bank.get(key)?.question ?? list.find((row) => row.question)?.question ?? key,
      maxScore: Math.max(...list.map((row) => row.maxScore)),
      rows: list,
    }))
    .sort((left, right) => bankOrder(bank, left.key) - bankOrder(bank, right.key) || compareKeys(left.key, right.key));
  const maxTotal = questions.reduce((sum, question) => sum + question.maxScore, 0);
  const reviews: ReviewItem[] = [];
  const candidates = [...latest.entries()].map(([candidateId, answers]): CandidateSummary => {
    let total = 0;
    let reviewCount = 0;
    for (const row of answers.values()) {
      total += row.score;
      const reasons = reviewReasons(row);
      if (reasons.length > 0) {
        reviews.push({ row, reasons });
        reviewCount += 1;
      }
    }
    const missing = questions.filter((question) => !answers.has(question.key)).map((question) => question.key);
    return { candidateId, rank: 0, answers, total: round(total), maxTotal, normalizedTotal: maxTotal > 0 ? round(total / maxTotal, 4) : 0, missing, reviewCount };
  });
  candidates.sort((left, right) => right.normalizedTotal - left.normalizedTotal || right.total - left.total || compareKeys(left.candidateId, right.candidateId));
  candidates.forEach((candidate, index) => {
    const previous = candidates[index - 1];
    candidate.rank = previous && previous.normalizedTotal === candidate.normalizedTotal ? previous.rank : index + 1;
  });
  const order = new Map(candidates.map((candidate, index) => [candidate.candidateId, index]));
  reviews.sort((left, right) => (order.get(left.row.candidateId) ?? 0) - (order.get(right.row.candidateId) ?? 0) || compareKeys(questionColumnKey(left.row), questionColumnKey(right.row)));
  const answerCount = candidates.reduce((sum, candidate) => sum + candidate.answers.size, 0);
  const byMode = { local: 0, llm: 0 };
  for (const candidate of candidates) for (const row of candidate.answers.values()) byMode[row.mode] += 1;
  return { questions, candidates, reviews, answerCount, byMode };
}

/** Bank questions in the bank's order, then ad-hoc ones. */
function bankOrder(bank: QuestionBank, key: string): number {
  const index = bank.rubrics.findIndex((rubric) => rubric.id === key);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** "q2" before "q10"; then plain text order. */
export function compareKeys(left: string, right: string): number {
  return left.localeCompare(right, 'en', { numeric: true, sensitivity: 'base' }) || (left < right ? -1 : left > right ? 1 : 0);
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
