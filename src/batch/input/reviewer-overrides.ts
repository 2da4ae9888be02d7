import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { normalizeColumnName } from './answer-row-schema.js';
import { readInputText } from './read-input-text.js';
import { questionColumnKey, type ResultRow } from '../result-row.js';
import { writeFileAtomic } from '../../concurrency/write-file-atomic.js';
import { checkedJsonLines } from '../../text/json-lines.js';

/** The overrides applied to a batch folder: one line per candidate and question, the latest. */
export const OVERRIDES_FILE = 'overrides.jsonl';

const HINT =
  'overrides.csv has the columns candidate_id, question_id, score and optionally note, as the report downloads it';

const overrideRowSchema = z.object({
  candidate_id: z.string().trim().min(1, 'candidate_id is missing'),
  question_id: z.string().trim().min(1, 'question_id is missing'),
  score: z
    .string()
    .trim()
    .min(1, 'score is missing')
    .transform(Number)
    .pipe(z.number({ error: 'score must be a number' }).min(0, 'score must be 0 or more')),
  note: z.string().trim().max(2_000).optional(),
});

/** A reviewer's score for one answer, as read from overrides.csv. */
export type OverrideInput = { candidateId: string; questionKey: string; score: number; note?: string; line: number };

/** An override as stored: tied to the answer's text, so an edited answer is graded afresh. */
export const storedOverrideSchema = z.object({
  candidateId: z.string(),
  questionKey: z.string(),
  answerSha256: z.string(),
  score: z.number(),
  graderScore: z.number(),
  note: z.string().optional(),
  reviewedAt: z.string(),
});

export type StoredOverride = z.infer<typeof storedOverrideSchema>;

/** Reads overrides.csv whole: a bad row stops it (naming the line), so a reviewer's decisions are applied all or none. */
export function readOverridesCsv(path: string): OverrideInput[] {
  let records: string[][];
  try {
    records = parse(readInputText(path, 16 * 1024 * 1024).replace(/\r\n?/g, '\n'), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    if (error instanceof AnswerkeyError) throw error;
    throw new AnswerkeyError(
      'dataset_invalid',
      `${path}: not a CSV file that can be read (${(error as Error).message.split('\n')[0]})`,
      { hint: HINT },
    );
  }
  const [header, ...rows] = records;
  const columns = (header ?? []).map(normalizeColumnName);
  const missing = ['candidate_id', 'question_id', 'score'].filter((column) => !columns.includes(column));
  if (missing.length > 0)
    throw new AnswerkeyError('dataset_invalid', `${path}: no ${missing.join(', ')} column`, { hint: HINT });
  return rows.map((record, index) => {
    const line = index + 2;
    const parsed = overrideRowSchema.safeParse(
      Object.fromEntries(columns.map((column, position) => [column, record[position] ?? ''])),
    );
    if (!parsed.success)
      throw new AnswerkeyError('dataset_invalid', `${path}:${line}: ${parsed.error.issues[0].message}`, { hint: HINT });
    const { candidate_id: candidateId, question_id: questionKey, score, note } = parsed.data;
    return { candidateId, questionKey: questionKey.toLowerCase(), score, ...(note ? { note } : {}), line };
  });
}

export function readStoredOverrides(directory: string): StoredOverride[] {
  const path = join(directory, OVERRIDES_FILE);
  if (!existsSync(path)) return [];
  return [...checkedJsonLines(readFileSync(path, 'utf8'), storedOverrideSchema, 'override')].flatMap((entry) =>
    'value' in entry ? [entry.value] : [],
  );
}

/**
 * Checks each override against the graded answers (the candidate answered the question; the score is
 * within its scale) and stores them beside results.jsonl, replacing earlier ones for the same answers.
 * Returns the graded rows they apply to, for `--learn`.
 */
export function storeOverrides(
  directory: string,
  inputs: readonly OverrideInput[],
  rows: readonly ResultRow[],
  source: string,
  now: Date,
): { row: ResultRow; override: StoredOverride }[] {
  const bySlot = new Map(rows.map((row) => [`${row.candidateId}\t${questionColumnKey(row)}`, row]));
  const applied = inputs.map((input) => {
    const row = bySlot.get(`${input.candidateId}\t${input.questionKey}`);
    if (!row)
      throw new AnswerkeyError(
        'dataset_invalid',
        `${source}:${input.line}: no graded answer by "${input.candidateId}" to ${input.questionKey} in ${directory}`,
        {
          hint: 'override only answers of this batch folder, by candidate_id and question_id as candidates.csv and the report name them',
        },
      );
    if (input.score > row.maxScore)
      throw new AnswerkeyError(
        'dataset_invalid',
        `${source}:${input.line}: score ${input.score} is over the question's maximum of ${row.maxScore}`,
        { hint: HINT },
      );
    const override: StoredOverride = {
      candidateId: row.candidateId,
      questionKey: questionColumnKey(row),
      answerSha256: row.answerSha256,
      score: input.score,
      graderScore: row.score,
      ...(input.note ? { note: input.note } : {}),
      reviewedAt: now.toISOString(),
    };
    return { row, override };
  });
  const merged = new Map(
    readStoredOverrides(directory).map((stored) => [`${stored.candidateId}\t${stored.questionKey}`, stored]),
  );
  for (const { override } of applied) merged.set(`${override.candidateId}\t${override.questionKey}`, override);
  writeFileAtomic(
    join(directory, OVERRIDES_FILE),
    [...merged.values()].map((stored) => `${JSON.stringify(stored)}\n`).join(''),
  );
  return applied;
}
