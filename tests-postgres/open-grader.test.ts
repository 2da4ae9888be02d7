import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGrader } from '../src/app/create-grader.js';
import { resolveConfig } from '../src/config/config.js';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { migrateDatabase } from '../src/database/migrations.js';
import { openDatabase } from '../src/database/open-database.js';
import { LocalEmbeddings } from '../src/embeddings/local-embeddings.js';
import { WordVectors } from '../src/embeddings/word-vectors.js';
import { queryOnce } from './helpers/cli-process.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

/**
 * openGrader (app/create-grader.ts) with a database configured: the stores are PostgreSQL's, a grade
 * reads another process's change first, and the examples' vectors are kept with their rows.
 */
const ROOT = resolve(import.meta.dirname, '..');
const fresh = useFreshDatabase();
let scratch = '';

beforeAll(async () => {
  await migrateDatabase(fresh.url);
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-open-grader-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A configuration with a database and folders of its own (an index copied from the shipped one). */
function configFor(name: string) {
  const indexDirectory = join(scratch, name, 'index');
  cpSync(join(ROOT, 'embeddings', 'index-local-glove-100d'), join(indexDirectory, 'index-local-glove-100d'), {
    recursive: true,
  });
  return resolveConfig(
    { indexDirectory, examplesDirectory: join(scratch, name, 'examples'), databaseUrl: fresh.url },
    {},
  );
}

const ANSWER = 'Eager mode runs each operation at once so I can debug with print statements; graphs are faster.';

describe('openGrader on a database', () => {
  it("keeps examples and reviews in it, and a grade uses another process's new example", async () => {
    const first = await openGrader(configFor('first'));
    const second = await openGrader(configFor('second'));
    try {
      expect(first.database?.target).toBe(`127.0.0.1:5432/${fresh.name}`);
      expect(first.grader.examples.location).toBe(`PostgreSQL at 127.0.0.1:5432/${fresh.name}`);
      expect(first.grader.reviewLog.location).toBe(`PostgreSQL at 127.0.0.1:5432/${fresh.name}`);
      const before = await second.grader.grade({ questionId: 'q4', answer: ANSWER });
      expect(before.examples).toBeUndefined();
      const {
        added: [example],
      } = await first.grader.addExamples([{ questionId: 'q4', answer: ANSWER, score: 0 }]);
      const after = await second.grader.grade({ questionId: 'q4', answer: ANSWER });
      expect(after.examples?.map((used) => used.id)).toEqual([example.id]);
      expect(after.score).toBeLessThan(before.score);
      // Nothing in either process's folder.
      for (const name of ['first', 'second']) expect(readdirSync(join(scratch, name))).toEqual(['index']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("keeps each example's vector in its row, as the embedder makes it, without moving the examples' version", async () => {
    const opened = await openGrader(configFor('vectors'));
    try {
      await opened.grader.addExamples([
        { questionId: 'q5', answer: 'Dropout and early stopping, watching val_loss.', score: 3 },
      ]);
      // Kept when the index was rebuilt for it; taken out again here, to be kept by the next build.
      await queryOnce(fresh.url, 'UPDATE graded_examples SET embedding = NULL, embedder = NULL');
      const [{ version }] = await queryOnce<{ version: string }>(
        fresh.url,
        `SELECT version FROM store_versions WHERE name = 'examples'`,
      );
      await opened.grader.buildIndex();
      const rows = await queryOnce<{ answer: string; embedder: string | null; embedding: number[] | null }>(
        fresh.url,
        'SELECT answer, embedder, embedding FROM graded_examples ORDER BY position',
      );
      expect(rows.length).toBe(2);
      const vectors = WordVectors.open(DEFAULT_PATHS.vectorsPath);
      try {
        const local = new LocalEmbeddings({ vectors });
        for (const row of rows) {
          expect(row.embedder).toBe(LocalEmbeddings.id);
          const expected = await local.embedQuery(row.answer);
          expect(row.embedding).toHaveLength(expected.length);
          row.embedding?.forEach((value, index) => expect(value).toBeCloseTo(expected[index], 5));
        }
      } finally {
        vectors.close();
      }
      const [{ version: versionAfter }] = await queryOnce<{ version: string }>(
        fresh.url,
        `SELECT version FROM store_versions WHERE name = 'examples'`,
      );
      expect(versionAfter).toBe(version);
    } finally {
      await opened.close();
    }
  });

  it('closes only a database it opened itself', async () => {
    const database = openDatabase(fresh.url, { maxConnections: 1 });
    try {
      const opened = await openGrader(configFor('given'), { database });
      expect(opened.database).toBe(database);
      await opened.close();
      expect((await database.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });
});
