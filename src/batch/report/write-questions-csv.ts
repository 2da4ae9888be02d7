import type { BatchSummary } from './candidate-summary.js';
import { csvCell } from './write-candidates-csv.js';

export const QUESTIONS_FILE = 'questions.csv';

/**
 * What each question column of candidates.csv stands for: its label there, its bank id (empty for
 * a question given with its own reference), and the whole question. A separate file, so that
 * candidates.csv stays one header row and one row per candidate in any spreadsheet.
 */
export function questionsCsv(summary: BatchSummary): string {
  const header = ['label', 'question_id', 'question', 'max_score', 'answers'];
  const rows = summary.questions.map((question) => [
    question.label,
    question.rows[0]?.questionId ?? '',
    question.question,
    String(question.maxScore),
    String(question.rows.length),
  ]);
  return `${[header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
