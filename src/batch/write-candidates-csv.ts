import type { BatchSummary, CandidateSummary } from './candidate-summary.js';
import { reviewReasons } from './review-reasons.js';

export const CANDIDATES_FILE = 'candidates.csv';

/** One row per candidate, best first: per-question scores, total, normalised total and flags. */
export function candidatesCsv(summary: BatchSummary): string {
  const keys = summary.questions.map((question) => question.key);
  const header = ['rank', 'candidate_id', ...keys, 'total', 'max_total', 'normalized_total', 'answered', 'needs_review', 'flags'];
  const lines = [header, ...summary.candidates.map((candidate) => candidateCells(candidate, keys))].map((cells) => cells.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function candidateCells(candidate: CandidateSummary, keys: readonly string[]): string[] {
  const scores = keys.map((key) => {
    const row = candidate.answers.get(key);
    return row ? String(row.score) : '';
  });
  return [
    String(candidate.rank),
    candidate.candidateId,
    ...scores,
    String(candidate.total),
    String(candidate.maxTotal),
    candidate.normalizedTotal.toFixed(4),
    String(candidate.answers.size),
    String(candidate.reviewCount),
    candidateFlags(candidate, keys).join('; '),
  ];
}

/** "q3: off_topic, needs review" for each flagged answer, then "q5: no answer" for each gap. */
export function candidateFlags(candidate: CandidateSummary, keys: readonly string[]): string[] {
  const flags: string[] = [];
  for (const key of keys) {
    const row = candidate.answers.get(key);
    if (!row) continue;
    const marks: string[] = row.flags.filter((flag) => flag !== 'needs_review');
    if (reviewReasons(row).length > 0) marks.push('needs review');
    if (marks.length > 0) flags.push(`${key}: ${marks.join(', ')}`);
  }
  for (const key of candidate.missing) flags.push(`${key}: no answer`);
  return flags;
}

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula (=, +, -, @). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
