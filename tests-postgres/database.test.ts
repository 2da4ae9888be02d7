import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cliHint } from '../src/cli/error-hints.js';
import { assertMigrated, migrateDatabase } from '../src/database/migrations.js';
import { openDatabase } from '../src/database/open-database.js';
import type { Database } from '../src/database/database.js';
import { AnswerkeyError } from '../src/errors/answerkey-error.js';
import { problemFor } from '../src/server/middleware/error-handler.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

const fresh = useFreshDatabase();

/** The AnswerkeyError `work` fails with. */
async function failureOf(work: Promise<unknown>): Promise<AnswerkeyError> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AnswerkeyError);
  return outcome as AnswerkeyError;
}

async function withDatabase<Result>(work: (database: Database) => Promise<Result>): Promise<Result> {
  const database = openDatabase(fresh.url);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

describe('before the migrations: database_not_migrated', () => {
  it('a statement on a table that is not there, with the command that creates it', async () => {
    await withDatabase(async (database) => {
      const error = await failureOf(database.query('SELECT id FROM graded_examples'));
      expect(error.code).toBe('database_not_migrated');
      expect(error.message).toBe(
        `the database 127.0.0.1:5432/${fresh.name} is not set up for this version of answerkey: relation "graded_examples" does not exist`,
      );
      expect(cliHint(error)).toBe('run `answerkey db migrate` (with the same --database-url / ANSWERKEY_DATABASE_URL)');
      const problem = problemFor(error);
      expect(problem.status).toBe(503);
      expect(problem.detail).toBe(
        "the server's database is not set up for this version (the server's operator has to migrate its database)",
      );
    });
  });

  it('assertMigrated names what is missing: the migration and the job queue schema', async () => {
    await withDatabase(async (database) => {
      const error = await failureOf(assertMigrated(database));
      expect(error.code).toBe('database_not_migrated');
      expect(error.message).toMatch(
        /it lacks migration \d+_initial-schema, migration \d+_queued-runs, migration \d+_shared-examples, job queue schema version \d+ \(it has none\)$/,
      );
    });
  });
});

describe('after the migrations', () => {
  it('assertMigrated passes', async () => {
    await migrateDatabase(fresh.url);
    await withDatabase((database) => assertMigrated(database));
  });

  it('query binds values, and gives rows back as PostgreSQL sends them (real[] as numbers)', async () => {
    await withDatabase(async (database) => {
      const inserted = await database.query(
        'INSERT INTO graded_examples (id, question_id, answer, score, max_score, key_points, embedding) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          'ex-1',
          'q4',
          'Eager runs ops at once.',
          2.5,
          5,
          JSON.stringify([{ id: 'kp1', status: 'covered' }]),
          [0.5, -1.25],
        ],
      );
      expect(inserted.rowCount).toBe(1);
      const { rows } = await database.query('SELECT score, key_points, embedding, added_at FROM graded_examples');
      expect(rows).toEqual([
        {
          score: 2.5,
          key_points: [{ id: 'kp1', status: 'covered' }],
          embedding: [0.5, -1.25],
          added_at: expect.any(Date),
        },
      ]);
    });
  });

  it('transaction commits what its work did, and rolls all of it back when the work throws', async () => {
    await withDatabase(async (database) => {
      const count = async () => Number((await database.query('SELECT count(*) AS n FROM review_log')).rows[0].n);
      const record = (id: string) => [JSON.stringify({ id }), new Date(), 'local'];
      const insert = 'INSERT INTO review_log (record, reviewed_at, reviewer) VALUES ($1, $2, $3)';
      expect(
        await database.transaction(async (transaction) => (await transaction.query(insert, record('r1'))).rowCount),
      ).toBe(1);
      expect(await count()).toBe(1);
      const failure = new Error('the work failed half-way');
      await expect(
        database.transaction(async (transaction) => {
          await transaction.query(insert, record('r2'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await count()).toBe(1);
      // A review stored twice is one review.
      const duplicate = await database.query(insert, record('r1')).catch((error: unknown) => error);
      expect((duplicate as { code?: string }).code).toBe('23505');
    });
  });

  it('every change of the examples or the bank bumps its version and notifies answerkey_changes', async () => {
    const listener = new pg.Client({ connectionString: fresh.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.query('LISTEN answerkey_changes');
    try {
      await withDatabase(async (database) => {
        const versions = async () =>
          Object.fromEntries(
            (await database.query('SELECT name, version FROM store_versions ORDER BY name')).rows.map((row) => [
              row.name,
              Number(row.version),
            ]),
          );
        const before = await versions();
        await database.query("UPDATE graded_examples SET note = 'no deployment' WHERE id = 'ex-1'");
        await database.query('DELETE FROM graded_examples');
        await database.query("INSERT INTO bank_versions (content_hash, rubrics) VALUES ('abc', '[]')");
        expect(await versions()).toEqual({ bank: before.bank + 1, examples: before.examples + 2 });
      });
      await expect.poll(() => heard.length).toBeGreaterThanOrEqual(3);
      expect(new Set(heard)).toEqual(new Set(['examples', 'bank']));
    } finally {
      await listener.end();
    }
  });

  it('close() twice waits for the same close', async () => {
    const database = openDatabase(fresh.url);
    await database.query('SELECT 1');
    await Promise.all([database.close(), database.close()]);
  });
});
