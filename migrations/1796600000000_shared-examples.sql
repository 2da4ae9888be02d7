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

-- Down Migration

ALTER TABLE graded_examples DROP COLUMN embedder;
DROP INDEX graded_examples_position;
ALTER TABLE graded_examples DROP COLUMN position;
