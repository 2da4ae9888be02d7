import { z } from 'zod';
import type { Queryable } from '../database/database.js';
import type { QuestionBank } from './question-bank.js';

/** One version of the bank in bank_versions: a distinct content, numbered in the order imported. */
export interface BankVersion {
  version: number;
  /** QuestionBank.hash: the same content is one version however often it is imported. */
  contentHash: string;
  importedAt: Date;
  questions: number;
}

export interface BankImport extends BankVersion {
  /** False when this content was imported before: nothing was stored now. */
  created: boolean;
}

const versionRowSchema = z.object({
  id: z.coerce.number().int(),
  content_hash: z.string(),
  imported_at: z.date(),
  questions: z.coerce.number().int(),
});

const versionOf = (row: unknown): BankVersion => {
  const parsed = versionRowSchema.parse(row);
  return {
    version: parsed.id,
    contentHash: parsed.content_hash,
    importedAt: parsed.imported_at,
    questions: parsed.questions,
  };
};

/**
 * Stores the bank's rubrics (as rubricSchema parsed them) as a version of bank_versions, unless
 * that content is there already; every new version bumps the bank's version in store_versions.
 */
export async function importBank(database: Queryable, bank: QuestionBank): Promise<BankImport> {
  const inserted = await database.query(
    // Only a new content takes a number from the sequence (ON CONFLICT alone would use one up each time).
    `INSERT INTO bank_versions (content_hash, rubrics)
       SELECT $1, $2::jsonb WHERE NOT EXISTS (SELECT 1 FROM bank_versions WHERE content_hash = $1)
     ON CONFLICT (content_hash) DO NOTHING
     RETURNING id, content_hash, imported_at, jsonb_array_length(rubrics) AS questions`,
    [bank.hash, JSON.stringify(bank.rubrics)],
  );
  if (inserted.rows.length > 0) return { ...versionOf(inserted.rows[0]), created: true };
  const { rows } = await database.query(
    `SELECT id, content_hash, imported_at, jsonb_array_length(rubrics) AS questions FROM bank_versions WHERE content_hash = $1`,
    [bank.hash],
  );
  return { ...versionOf(rows[0]), created: false };
}

/** Every version of the bank, oldest first. */
export async function bankVersions(database: Queryable): Promise<BankVersion[]> {
  const { rows } = await database.query(
    'SELECT id, content_hash, imported_at, jsonb_array_length(rubrics) AS questions FROM bank_versions ORDER BY id',
  );
  return rows.map(versionOf);
}
