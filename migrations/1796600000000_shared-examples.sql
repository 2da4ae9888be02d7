-- Graded examples and the review log served from PostgreSQL by every API replica and worker
-- (examples/postgres-example-store.ts, reviews/postgres-review-log.ts). Applied by
-- `answerkey db migrate` after the queued runs'.

-- Up Migration

-- The order examples were added in: a store lists a question's examples in it, as the file store
-- lists the lines of its file. Several examples added together share added_at; this tells them apart.
ALTER TABLE graded_examples ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX graded_examples_position ON graded_examples (position);

-- Which embedder computed `embedding` (the index's embedderId, e.g. local-glove-100d): a vector made
-- by another is never reused.
ALTER TABLE graded_examples ADD COLUMN embedder text;

-- Keeping a computed vector in a row is not a change of the examples: the version moves (and every
-- process reads the examples again) only when a column other than embedding and embedder changes.
DROP TRIGGER graded_examples_changed ON graded_examples;
CREATE TRIGGER graded_examples_changed
  AFTER INSERT OR DELETE OR TRUNCATE
    OR UPDATE OF id, question_id, answer, score, max_score, note, key_points, added_at, position
  ON graded_examples
  FOR EACH STATEMENT EXECUTE FUNCTION answerkey_bump_store_version('examples');

-- Down Migration

DROP TRIGGER graded_examples_changed ON graded_examples;
CREATE TRIGGER graded_examples_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON graded_examples
  FOR EACH STATEMENT EXECUTE FUNCTION answerkey_bump_store_version('examples');

ALTER TABLE graded_examples DROP COLUMN embedder;
DROP INDEX graded_examples_position;
ALTER TABLE graded_examples DROP COLUMN position;
