import { basename } from 'node:path';
import { parse, type CsvError } from 'csv-parse/sync';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { answerFromRow, normalizeColumnName } from './answer-row-schema.js';
import type { InputProblem } from '../batch-answer.js';
import { readInputText, type InputRead } from './read-input-text.js';

const COLUMNS_HINT =
  'the first row must name the columns: candidate_id, question_id (or question), answer; optional: reference_answer, max_score';

const QUOTING_REASONS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'bad quoting: a quote inside a quoted field must be doubled ("")',
  INVALID_OPENING_QUOTE: 'bad quoting: a field with quotes in it must itself be quoted, with its quotes doubled ("")',
  CSV_QUOTE_NOT_CLOSED: 'bad quoting: a quoted field is never closed, so the rest of the file could not be read',
};

type RawRecord = { record: string[]; raw: string; info: { lines: number } };

/** A CSV file of answers with a header row; a broken row is reported with its line numbers and skipped. */
export function readCsvAnswers(path: string, bank: QuestionBank): InputRead {
  const name = basename(path);
  const text = readInputText(path).replace(/\r\n?/g, '\n');
  const problems: InputProblem[] = [];
  let lastLine = 0;
  let lastErrorLine: number | undefined;
  const records = parse(text, {
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context) => {
      lastLine = context.lines;
      lastErrorLine = undefined;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      const errorLine = error?.lines === undefined ? undefined : Number(error.lines);
      // The parser reports some broken records twice, from the same line.
      if (errorLine !== undefined && errorLine === lastErrorLine) return;
      lastErrorLine = errorLine;
      const start = lastLine + 1;
      const end = Math.max(start, errorLine ?? start);
      const source = `${name}:${start === end ? start : `${start}-${end}`}`;
      const reason = (error && QUOTING_REASONS[error.code]) ?? error?.message ?? 'unreadable row';
      problems.push({ kind: 'malformed_row', source, reason });
      lastLine = end;
    },
  }) as unknown as RawRecord[];
  const [header, ...rows] = records;
  if (!header) throw new AnswerkeyError('dataset_invalid', `${path} has no rows`, { hint: COLUMNS_HINT });
  const columns = header.record.map(normalizeColumnName);
  checkColumns(path, columns);
  const answers = [];
  for (const { record, raw, info } of rows) {
    // info.lines is the record's last line; a quoted answer can span several.
    const start = info.lines - (raw.replace(/^\n+|\n$/g, '').match(/\n/g)?.length ?? 0);
    const source = `${name}:${start}`;
    const extra = record.slice(columns.length);
    if (record.length < columns.length || extra.some((value) => value.trim() !== '')) {
      problems.push({
        kind: 'malformed_row',
        source,
        reason: `expected ${columns.length} fields (${columns.join(', ')}), found ${record.length}`,
      });
      continue;
    }
    const outcome = answerFromRow(
      Object.fromEntries(columns.map((column, index) => [column, record[index]])),
      source,
      bank,
    );
    if ('answer' in outcome) answers.push(outcome.answer);
    else problems.push(outcome.problem);
  }
  problems.sort((left, right) => lineOf(left.source) - lineOf(right.source));
  return { answers, problems };
}

function checkColumns(path: string, columns: string[]): void {
  const missing = ['candidate_id', 'answer'].filter((column) => !columns.includes(column));
  if (!columns.includes('question_id') && !columns.includes('question')) missing.push('question_id (or question)');
  if (missing.length > 0) {
    throw new AnswerkeyError(
      'dataset_invalid',
      `${path}: no ${missing.join(', ')} column (the header has: ${columns.join(', ') || 'nothing'})`,
      {
        hint: COLUMNS_HINT,
      },
    );
  }
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated)
    throw new AnswerkeyError('dataset_invalid', `${path}: the column "${repeated}" appears twice`, {
      hint: COLUMNS_HINT,
    });
}

function lineOf(source: string): number {
  return Number(/:(\d+)/.exec(source)?.[1] ?? 0);
}
