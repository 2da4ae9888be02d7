import { z } from 'zod';
import type { Database } from '../database/database.js';
import type { VectorShelf } from '../embeddings/stored-vector-embeddings.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import {
  checkExampleDraft,
  describeProblems,
  EXAMPLE_DRAFT_HINT,
  hashExamples,
  newExampleId,
  type ExampleStore,
  type SourcedDraft,
} from './example-store.js';
import { gradedExampleSchema, keyPointVerdictSchema, type GradedExample } from './graded-example.js';

/**
 * Graded examples in PostgreSQL (graded_examples), shared by every API replica and worker. The
 * ExampleStore interface reads synchronously, so the store serves reads from a snapshot taken when
 * it opens, and `refresh()` takes a new one when the examples' version (store_versions, bumped by a
 * trigger on every change) moved: one small query when nothing changed. Changes go straight to the
 * database, in one transaction each, and refresh the snapshot after.
 */
export interface PostgresExampleStore extends ExampleStore {
  /** The examples' version in store_versions that the snapshot was read at. */
  readonly version: number;
  /**
   * Reads the examples again when their version moved since the snapshot (another process changed
   * them): true when it did. Calls made together share one check, and a call always sees every
   * change committed before it was made.
   */
  refresh(): Promise<boolean>;
  /**
   * The examples' vectors as `embedder` (an index's embedderId) made them, kept in their rows
   * (embedding, embedder), so that a worker or replica building its index does not compute them again.
   */
  vectorShelf(embedder: string): VectorShelf;
}

export interface PostgresExampleStoreConfig {
  database: Database;
  bank: QuestionBank;
  /** Told once about stored examples that are skipped (a question not in this bank, a score above its scale). */
  onBadLines?: (message: string) => void;
}

/** graded_examples as PostgreSQL sends it; `score` and `max_score` are double precision. */
const exampleRowSchema = z.object({
  id: z.string(),
  question_id: z.string(),
  answer: z.string(),
  score: z.number(),
  max_score: z.number(),
  note: z.string().nullable(),
  key_points: z.array(keyPointVerdictSchema).nullable(),
  added_at: z.date().nullable(),
});

const versionRowSchema = z.object({ version: z.coerce.number().int() });

const vectorRowSchema = z.object({ answer: z.string(), embedding: z.array(z.number()) });

/** The columns a stored example is read from, in the order they were added. */
const EXAMPLE_COLUMNS = 'id, question_id, answer, score, max_score, note, key_points, added_at';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

function exampleOf(row: z.infer<typeof exampleRowSchema>): GradedExample {
  return {
    id: row.id,
    questionId: row.question_id,
    answer: row.answer,
    score: row.score,
    maxScore: row.max_score,
    ...(row.note === null ? {} : { note: row.note }),
    ...(row.key_points === null ? {} : { keyPoints: row.key_points }),
    ...(row.added_at === null ? {} : { addedAt: row.added_at.toISOString() }),
  };
}

interface Snapshot {
  version: number;
  byQuestion: Map<string, GradedExample[]>;
  byId: Map<string, GradedExample>;
  /** Every example of the bank's questions, in bank order and then in the order they were added. */
  all: GradedExample[];
  hash: string | null;
}

const storedAlready = (id: string) =>
  new AnswerkeyError('invalid_input', `an example "${id}" is stored already`, { hint: 'store it under another id' });

/** Opens the store on a migrated database and reads its snapshot (database_not_migrated when the tables are missing). */
export async function openPostgresExampleStore({
  database,
  bank,
  onBadLines = () => undefined,
}: PostgresExampleStoreConfig): Promise<PostgresExampleStore> {
  let reportedSkipped = '';

  /** The version and the rows, read in one snapshot of the database so that they agree. */
  async function read(): Promise<Snapshot> {
    const { version, rows } = await database.transaction(async (transaction) => {
      await transaction.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const versions = await transaction.query(`SELECT version FROM store_versions WHERE name = 'examples'`);
      const examples = await transaction.query(`SELECT ${EXAMPLE_COLUMNS} FROM graded_examples ORDER BY position`);
      return { version: versionRowSchema.parse(versions.rows[0] ?? { version: 0 }).version, rows: examples.rows };
    });
    const byQuestion = new Map<string, GradedExample[]>();
    const skipped: string[] = [];
    for (const row of rows) {
      const parsed = exampleRowSchema.safeParse(row);
      const example = parsed.success ? exampleOf(parsed.data) : undefined;
      const valid = example && gradedExampleSchema.safeParse(example).success && example.score <= example.maxScore;
      const rubric = example && bank.get(example.questionId);
      if (!example || !valid || !rubric || rubric.id !== example.questionId) {
        skipped.push(String(row.id));
        continue;
      }
      byQuestion.set(example.questionId, [...(byQuestion.get(example.questionId) ?? []), example]);
    }
    const described = skipped.join(', ');
    if (described !== reportedSkipped && skipped.length > 0) {
      const shown = skipped.slice(0, 3).join(', ') + (skipped.length > 3 ? ` and ${skipped.length - 3} more` : '');
      onBadLines(
        `skipping ${skipped.length === 1 ? 'a graded example' : `${skipped.length} graded examples`} in the database that this bank cannot use (a question it lacks, or a score above its scale): ${shown}`,
      );
    }
    reportedSkipped = described;
    const all = bank.rubrics.flatMap((rubric) => byQuestion.get(rubric.id) ?? []);
    return { version, byQuestion, byId: new Map(all.map((example) => [example.id, example])), all, hash: hashExamples(all) };
  }

  let snapshot = await read();
  let running: Promise<boolean> = Promise.resolve(false);
  let waiting: Promise<boolean> | undefined;

  async function reloadIfChanged(): Promise<boolean> {
    const { rows } = await database.query(`SELECT version FROM store_versions WHERE name = 'examples'`);
    if (versionRowSchema.parse(rows[0] ?? { version: 0 }).version === snapshot.version) return false;
    const next = await read();
    // Another reload may have read a later version meanwhile: never go back.
    if (next.version >= snapshot.version) snapshot = next;
    return true;
  }

  /** One check at a time; calls that come while one waits to start share it, so none misses a change committed before it. */
  function refresh(): Promise<boolean> {
    if (!waiting) {
      const next = running
        .catch(() => false)
        .then(() => {
          waiting = undefined;
          return reloadIfChanged();
        });
      waiting = next;
      running = next;
    }
    return waiting;
  }

  function rubricOf(questionId: string) {
    const rubric = bank.get(questionId);
    if (!rubric) throw new AnswerkeyError('question_not_found', `no question "${questionId}" in the bank`);
    return rubric;
  }

  const check = (draft: SourcedDraft) => checkExampleDraft(bank, draft);

  return {
    location: `PostgreSQL at ${database.target}`,
    get version() {
      return snapshot.version;
    },
    refresh,
    list: (questionId) =>
      questionId === undefined ? [...snapshot.all] : [...(snapshot.byQuestion.get(rubricOf(questionId).id) ?? [])],
    badLines(questionId) {
      if (questionId !== undefined) rubricOf(questionId);
      // Rows are checked when they are stored: there are no lines to be bad.
      return [];
    },
    get: (id) => snapshot.byId.get(id),
    count: (questionId) => snapshot.byQuestion.get(rubricOf(questionId).id)?.length ?? 0,
    problems: (drafts) => drafts.map(check).flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : [])),
    async add(drafts) {
      const checked = drafts.map(check);
      const problems = checked.flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : []));
      if (problems.length > 0)
        throw new AnswerkeyError('invalid_input', describeProblems(problems, drafts.length), {
          hint: EXAMPLE_DRAFT_HINT,
        });
      const chosen = drafts.flatMap((draft) => (draft.id === undefined ? [] : [draft.id]));
      const repeated = chosen.find((id, index) => chosen.indexOf(id) !== index);
      if (repeated !== undefined) throw storedAlready(repeated);
      const addedAt = new Date().toISOString();
      const added = await database
        .transaction(async (transaction) => {
          const { rows } = await transaction.query('SELECT id FROM graded_examples WHERE id = ANY($1::text[])', [chosen]);
          if (rows.length > 0) throw storedAlready(String(rows[0].id));
          const taken = new Set([...snapshot.byId.keys(), ...chosen]);
          const examples: GradedExample[] = [];
          for (const [index, outcome] of checked.entries()) {
            if (!('example' in outcome)) continue;
            const id = drafts[index].id ?? newExampleId(taken);
            taken.add(id);
            const example: GradedExample = { id, ...outcome.example, addedAt };
            await transaction.query(
              `INSERT INTO graded_examples (id, question_id, answer, score, max_score, note, key_points, added_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
              [
                id,
                example.questionId,
                example.answer,
                example.score,
                example.maxScore,
                example.note ?? null,
                example.keyPoints === undefined ? null : JSON.stringify(example.keyPoints),
                addedAt,
              ],
            );
            examples.push(example);
          }
          return examples;
        })
        .catch((error: unknown) => {
          // Another process stored the same id between the check and the insert.
          if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
            const id = /\(id\)=\((.*)\)/.exec(String((error as { detail?: unknown }).detail))?.[1] ?? chosen[0] ?? '';
            throw storedAlready(id);
          }
          throw error;
        });
      await refresh();
      return added;
    },
    async remove(id) {
      const { rows } = await database.query(`DELETE FROM graded_examples WHERE id = $1 RETURNING ${EXAMPLE_COLUMNS}`, [
        id,
      ]);
      if (rows.length === 0) throw new AnswerkeyError('not_found', `no graded example "${id}"`);
      await refresh();
      return exampleOf(exampleRowSchema.parse(rows[0]));
    },
    hash: () => snapshot.hash,
    vectorShelf: (embedder) => ({
      async find(texts) {
        // Only the examples' answers have a row to look in: the bank's texts need not travel.
        const answers = new Set(snapshot.all.map((example) => example.answer));
        const wanted = [...new Set(texts)].filter((text) => answers.has(text));
        if (wanted.length === 0) return new Map();
        const { rows } = await database.query(
          `SELECT DISTINCT ON (answer) answer, embedding FROM graded_examples
            WHERE embedder = $1 AND embedding IS NOT NULL AND answer = ANY($2::text[])`,
          [embedder, wanted],
        );
        return new Map(rows.map((row) => vectorRowSchema.parse(row)).map((row) => [row.answer, row.embedding]));
      },
      async keep(vectors) {
        // Only the examples' answers: the bank's texts have no row to keep them in.
        const answers = new Set(snapshot.all.map((example) => example.answer));
        const given = [...vectors].flatMap(([answer, vector]) => (answers.has(answer) ? [{ answer, vector }] : []));
        if (given.length === 0) return;
        // The vectors' columns are left out of the trigger's: keeping one changes no example's version.
        await database.query(
          `UPDATE graded_examples AS example
              SET embedding = ARRAY(SELECT jsonb_array_elements_text(given.vector)::real), embedder = $2
             FROM jsonb_to_recordset($1::jsonb) AS given(answer text, vector jsonb)
            WHERE example.answer = given.answer AND (example.embedding IS NULL OR example.embedder IS DISTINCT FROM $2)`,
          [JSON.stringify(given), embedder],
        );
      },
    }),
  };
}
