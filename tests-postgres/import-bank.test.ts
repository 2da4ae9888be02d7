import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { migrateDatabase } from '../src/database/migrations.js';
import { loadQuestionBank } from '../src/rubrics/question-bank.js';
import { rubricSchema } from '../src/rubrics/rubric-schema.js';
import { runCliForTest as run } from '../tests/helpers/run-cli.js';
import { queryOnce } from './helpers/cli-process.js';
import { createFreshDatabase, useFreshDatabase } from './helpers/fresh-database.js';

/** `answerkey db import-bank`: the rubric YAML as versions of bank_versions, one per distinct content. */
const fresh = useFreshDatabase();
let scratch = '';

beforeAll(async () => {
  await migrateDatabase(fresh.url);
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-import-bank-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const bankVersion = async () =>
  Number(
    (await queryOnce<{ version: string }>(fresh.url, `SELECT version FROM store_versions WHERE name = 'bank'`))[0]
      .version,
  );

describe('answerkey db import-bank', () => {
  it('stores the shipped bank as version 1, as the rubric schema reads it, and bumps the bank’s version', async () => {
    const before = await bankVersion();
    const { code, out, err } = await run(['db', 'import-bank', '--database-url', fresh.url]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
    expect(out).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:5432/${fresh.name}: imported the bank as version 1 \\(21 questions, content ${bank.hash.slice(0, 12)}\\)\n {2}version 1 {2}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC {2}21 questions {2}${bank.hash.slice(0, 12)}\n$`,
      ),
    );
    const [row] = await queryOnce<{ content_hash: string; rubrics: unknown[] }>(
      fresh.url,
      'SELECT content_hash, rubrics FROM bank_versions',
    );
    expect(row.content_hash).toBe(bank.hash);
    expect(row.rubrics.map((rubric) => rubricSchema.parse(rubric).id)).toEqual(bank.rubrics.map((rubric) => rubric.id));
    expect(await bankVersion()).toBe(before + 1);
  });

  it('imports the same content again as nothing new, and a changed bank as version 2', async () => {
    const again = await run(['db', 'import-bank', '--database-url', fresh.url]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(
      /: the bank is version 1 already \(21 questions, .*\), imported .* UTC; nothing to import\n {2}version 1 /,
    );
    const changed = join(scratch, 'rubrics');
    cpSync(DEFAULT_PATHS.bankDirectory, changed, { recursive: true, filter: (path) => !path.includes('examples') });
    const file = join(changed, 'q4.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Explain the differences', 'Explain the main differences'));
    const { code, out } = await run(['db', 'import-bank', '--bank', changed, '--database-url', fresh.url]);
    expect(code).toBe(0);
    expect(out).toMatch(/: imported the bank as version 2 \(21 questions, .*\)\n {2}version 1 .*\n {2}version 2 .*\n$/);
    const rows = await queryOnce(fresh.url, 'SELECT id FROM bank_versions');
    expect(rows).toHaveLength(2);
  });

  it('refuses a database that is not migrated, and a bank folder that is not there', async () => {
    const empty = await createFreshDatabase();
    try {
      const unmigrated = await run(['db', 'import-bank', '--database-url', empty.url]);
      expect(unmigrated.code).toBe(1);
      expect(unmigrated.err).toMatch(/is not set up for this version of answerkey/);
    } finally {
      await empty.drop();
    }
    const missing = await run(['db', 'import-bank', '--bank', join(scratch, 'nowhere'), '--database-url', fresh.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--bank \/ ANSWERKEY_BANK_DIR/);
  });
});
