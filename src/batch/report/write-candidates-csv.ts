import type { BatchSummary, CandidateSummary } from './candidate-summary.js';
import { reviewReasons } from './review-reasons.js';

export const CANDIDATES_FILE = 'candidates.csv';

/**
 * One row per candidate, best first: per-question scores (blank for a question the candidate was not
 * set, 0 for one left out of a take-home), total, the maximum of the questions they were set, and flags.
 */
export function candidatesCsv(summary: BatchSummary): string {
  const questions = summary.questions.map((question) => ({ key: question.key, label: question.label }));
  const header = [
    'rank',
    'candidate_id',
    ...questions.map((question) => question.label),
    'total',
    'max_total',
    'normalized_total',
    'answered_non_empty',
    'needs_review',
    'flags',
  ];
  const lines = [header, ...summary.candidates.map((candidate) => candidateCells(candidate, questions))].map((cells) =>
    cells.map(csvCell).join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}

type Column = { key: string; label: string };

function candidateCells(candidate: CandidateSummary, questions: readonly Column[]): string[] {
  const missing = new Set(candidate.missing);
  const scores = questions.map(({ key }) => {
    const row = candidate.answers.get(key);
    return row ? String(row.score) : missing.has(key) ? '0' : '';
  });
  return [
    String(candidate.rank),
    candidate.candidateId,
    ...scores,
    String(candidate.total),
    String(candidate.maxTotal),
    candidate.normalizedTotal.toFixed(4),
    String(candidate.answered),
    String(candidate.reviewCount),
    candidateFlags(candidate, questions).join('; '),
  ];
}

/** "q3: off_topic, needs review" for each flagged answer, "q5: no answer" for each question left out, then what was not graded. */
export function candidateFlags(candidate: CandidateSummary, questions: readonly Column[]): string[] {
  const flags: string[] = [];
  const labels = new Map(questions.map((question) => [question.key, question.label]));
  for (const { key, label } of questions) {
    const row = candidate.answers.get(key);
    if (!row) continue;
    const marks: string[] = row.flags.filter((flag) => flag !== 'needs_review');
    if (row.reviewed) marks.push(`reviewed (grader ${row.reviewed.graderScore})`);
    if (row.similarTo?.length)
      marks.push(`similar to ${row.similarTo.map((other) => other.candidateId).join(' and ')}`);
    if (!row.reviewed && reviewReasons(row).length > 0) marks.push('needs review');
    if (marks.length > 0) flags.push(`${label}: ${marks.join(', ')}`);
  }
  for (const key of candidate.missing) flags.push(`${labels.get(key) ?? key}: no answer`);
  for (const problem of candidate.notGraded) flags.push(`${problem.source}: not graded (errors.jsonl)`);
  return flags;
}

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula (=, +, -, @). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
