import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database/database.js';
import { migrateDatabase } from '../src/database/migrations.js';
import { openDatabase } from '../src/database/open-database.js';
import { openPostgresExampleStore, type PostgresExampleStore } from '../src/examples/postgres-example-store.js';
import { createPostgresReviewLog } from '../src/reviews/postgres-review-log.js';
import { contractBank, exampleStoreContract } from '../tests/helpers/example-store-contract.js';
import { reviewLogContract, reviewRecord } from '../tests/helpers/review-log-contract.js';
import { createFreshDatabase, useFreshDatabase } from './helpers/fresh-database.js';

/**
 * The PostgreSQL example store and review log against the contracts the file store and log pass
 * (tests/examples/example-store-contract.test.ts), then what only they do. Each store or log the
 * contract opens has a pool of its own, as another process would.
 */
const fresh = useFreshDatabase();
const opened: Database[] = [];

function connect(): Database {
  const database = openDatabase(fresh.url, { maxConnections: 3 });
  opened.push(database);
  return database;
}

beforeAll(async () => {
  await migrateDatabase(fresh.url);
});

afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
});

exampleStoreContract('PostgreSQL', {
  async fresh() {
    const database = connect();
    await database.query('DELETE FROM graded_examples');
    return openPostgresExampleStore({ database, bank: contractBank });
  },
  another: async () => openPostgresExampleStore({ database: connect(), bank: contractBank }),
  sync: async (store) => void (await (store as PostgresExampleStore).refresh()),
});

reviewLogContract('PostgreSQL', {
  async fresh() {
    const database = connect();
    await database.query('DELETE FROM review_log');
    return createPostgresReviewLog(database);
  },
  another: async () => createPostgresReviewLog(connect()),
});

describe('the PostgreSQL example store', () => {
  it("keeps a snapshot: another process's change is seen after refresh(), which is a version check when nothing changed", async () => {
    const database = connect();
    await database.query('DELETE FROM graded_examples');
    const store = await openPostgresExampleStore({ database, bank: contractBank });
    expect(await store.refresh()).toBe(false);
    const version = store.version;
    await database.query(
      `INSERT INTO graded_examples (id, question_id, answer, score, max_score) VALUES ('ex-5ql00001', 'q4', 'by SQL', 2, 5)`,
    );
    // Read from the snapshot until refreshed.
    expect(store.get('ex-5ql00001')).toBeUndefined();
    const hashBefore = store.hash();
    expect(await store.refresh()).toBe(true);
    expect(store.version).toBeGreaterThan(version);
    expect(store.get('ex-5ql00001')).toMatchObject({ questionId: 'q4', answer: 'by SQL', score: 2, maxScore: 5 });
    expect(store.hash()).not.toBe(hashBefore);
    expect(await store.refresh()).toBe(false);
  });

  it('refreshes asked for together share one check, and each sees a change committed before it was asked', async () => {
    const connection = connect();
    // Counts the version checks the store sends, the query refresh() starts with.
    let versionChecks = 0;
    const database: Database = {
      target: connection.target,
      query: (text, values) => {
        if (text.includes('FROM store_versions')) versionChecks += 1;
        return connection.query(text, values);
      },
      transaction: (work) => connection.transaction(work),
      close: () => connection.close(),
    };
    const store = await openPostgresExampleStore({ database, bank: contractBank });
    const other = await openPostgresExampleStore({ database: connect(), bank: contractBank });
    const [added] = await other.add([{ questionId: 'q5', answer: 'while refreshing', score: 1 }]);
    const checksBefore = versionChecks;
    const outcomes = await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    expect(versionChecks - checksBefore).toBe(1);
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(store.get(added.id)).toEqual(added);
  });

  it('two replicas storing the same id at once: one stores it, the other is told it is stored already', async () => {
    const database = connect();
    await database.query('DELETE FROM graded_examples');
    const [left, right] = await Promise.all([
      openPostgresExampleStore({ database: connect(), bank: contractBank }),
      openPostgresExampleStore({ database: connect(), bank: contractBank }),
    ]);
    const outcomes = await Promise.allSettled([
      left.add([{ questionId: 'q4', answer: 'left', score: 1, id: 'ex-race0001' }]),
      right.add([{ questionId: 'q4', answer: 'right', score: 1, id: 'ex-race0001' }]),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({
      code: 'invalid_input',
      message: 'an example "ex-race0001" is stored already',
    });
    const { rows } = await database.query(`SELECT count(*)::int AS n FROM graded_examples WHERE id = 'ex-race0001'`);
    expect(rows[0].n).toBe(1);
  });

  it('skips rows this bank cannot use, and says so once', async () => {
    const database = connect();
    await database.query('DELETE FROM graded_examples');
    await database.query(
      `INSERT INTO graded_examples (id, question_id, answer, score, max_score) VALUES
         ('ex-0ther001', 'not-in-this-bank', 'x', 1, 5), ('ex-h1gh0001', 'q4', 'y', 9, 5), ('ex-f1ne0001', 'q4', 'z', 1, 5)`,
    );
    const notices: string[] = [];
    const store = await openPostgresExampleStore({
      database,
      bank: contractBank,
      onBadLines: (message) => notices.push(message),
    });
    expect(store.list().map((example) => example.id)).toEqual(['ex-f1ne0001']);
    await store.add([{ questionId: 'q5', answer: 'another', score: 1 }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^skipping 2 graded examples in the database .*: ex-0ther001, ex-h1gh0001$/);
  });

  it('on a database without the tables, says it is not migrated', async () => {
    const empty = await createFreshDatabase();
    const database = openDatabase(empty.url, { maxConnections: 1 });
    try {
      await expect(openPostgresExampleStore({ database, bank: contractBank })).rejects.toMatchObject({
        code: 'database_not_migrated',
      });
    } finally {
      await database.close();
      await empty.drop();
    }
  });
});

describe('the PostgreSQL review log', () => {
  it('logs a retried append (the same review id) once', async () => {
    const database = connect();
    await database.query('DELETE FROM review_log');
    const log = createPostgresReviewLog(database);
    const record = reviewRecord('rv-retry001');
    await log.append(record);
    await log.append(record);
    expect(await log.list()).toEqual([record]);
    const { rows } = await database.query('SELECT reviewer, reviewed_at FROM review_log');
    expect(rows).toEqual([{ reviewer: 'alice', reviewed_at: new Date(record.at) }]);
  });
});
