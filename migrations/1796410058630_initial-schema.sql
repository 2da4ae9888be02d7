-- The shared store of issue #16: everything answerkey keeps in files, for a team on one PostgreSQL.
-- Applied by `answerkey db migrate` (node-pg-migrate's runner, all pending migrations in one
-- transaction); never run by hand. A change to the schema is a new file here, never an edit of this one.

-- Up Migration

-- The question bank as imported from the rubric YAML: one row per distinct content, so a grade can
-- name the version it was graded against.
CREATE TABLE bank_versions (
  id serial PRIMARY KEY,
  imported_at timestamptz NOT NULL DEFAULT now(),
  -- sha256 of the bank's grading content (QuestionBank.hash).
  content_hash text NOT NULL UNIQUE,
  -- The rubrics as rubricSchema parsed them.
  rubrics jsonb NOT NULL
);

-- Interviewers' graded examples (examples/graded-example.ts).
CREATE TABLE graded_examples (
  id text PRIMARY KEY,
  question_id text NOT NULL,
  answer text NOT NULL,
  score double precision NOT NULL CHECK (score >= 0),
  max_score double precision NOT NULL CHECK (max_score > 0),
  note text,
  -- [{ "id": "kp1", "status": "covered" }, …] when the example came from a review.
  key_points jsonb,
  -- NULL for examples imported from files written before it was recorded.
  added_at timestamptz DEFAULT now(),
  -- The answer's vector, stored with it so that no worker computes it again; NULL until computed.
  embedding real[]
);
CREATE INDEX graded_examples_question_id ON graded_examples (question_id);

-- The review log (reviews/review-schema.ts: ReviewRecord), one record per review.
CREATE TABLE review_log (
  id bigserial PRIMARY KEY,
  record jsonb NOT NULL,
  reviewed_at timestamptz NOT NULL,
  -- The API key's name, or "local".
  reviewer text NOT NULL
);
-- A review stored twice (a retried request) is one review.
CREATE UNIQUE INDEX review_log_record_id ON review_log ((record ->> 'id'));
CREATE INDEX review_log_reviewed_at ON review_log (reviewed_at);

-- One version per store, bumped by the triggers below on every change to it, so that a process can
-- tell its cached copy (and its vector index) is stale; every bump also notifies the channel
-- answerkey_changes with the store's name ('examples' or 'bank'), on commit.
CREATE TABLE store_versions (
  name text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO store_versions (name) VALUES ('examples'), ('bank');

CREATE FUNCTION answerkey_bump_store_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE store_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END;
$$;

CREATE FUNCTION answerkey_notify_store_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('answerkey_changes', NEW.name);
  RETURN NULL;
END;
$$;

CREATE TRIGGER graded_examples_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON graded_examples
  FOR EACH STATEMENT EXECUTE FUNCTION answerkey_bump_store_version('examples');
CREATE TRIGGER bank_versions_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bank_versions
  FOR EACH STATEMENT EXECUTE FUNCTION answerkey_bump_store_version('bank');
CREATE TRIGGER store_versions_notify
  AFTER INSERT OR UPDATE ON store_versions
  FOR EACH ROW EXECUTE FUNCTION answerkey_notify_store_change();

-- A batch run (batch/): what was asked for, and how far it got.
CREATE TABLE batch_runs (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- For people: "answers.csv (40 rows)", "take-homes/ (12 files)".
  input_description text NOT NULL,
  -- The grading options the run was started with (mode, examples, match threshold, …).
  options jsonb NOT NULL DEFAULT '{}',
  -- What the run grades with (batch/grading-fingerprint.ts), hashed: a rerun with another is stale.
  fingerprint text NOT NULL,
  -- Answers to grade.
  total integer NOT NULL CHECK (total >= 0),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled'))
);

-- The answers of a run (batch/batch-answer.ts: BatchAnswer), in input order.
CREATE TABLE run_answers (
  run_id text NOT NULL REFERENCES batch_runs (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  candidate text NOT NULL,
  -- The bank id, or text-… / adhoc-… for a question given by its text (BatchAnswer.questionKey).
  question_key text NOT NULL,
  -- How the input named the question: { questionId } or { question, referenceAnswer, maxScore }.
  question_ref jsonb NOT NULL,
  answer text NOT NULL,
  -- sha256 of the answer, hex.
  answer_hash text NOT NULL,
  -- For people: "answers.csv:12", "alice.md:8".
  source text NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);

-- The grades of a run's answers: one per answer and what it was graded with, so a worker that
-- retries a job finds the grade there and a rerun with other settings grades again.
CREATE TABLE run_grades (
  run_id text NOT NULL REFERENCES batch_runs (id) ON DELETE CASCADE,
  candidate text NOT NULL,
  question_key text NOT NULL,
  answer_hash text NOT NULL,
  -- A hash of the grade's provenance below (GradedWith).
  grading_fingerprint text NOT NULL,
  -- The grade (grading/grade-schema.ts).
  grade jsonb NOT NULL,
  -- What it was graded with: scorer, model, weights hash, rubric version, graded examples used.
  provenance jsonb NOT NULL,
  graded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, candidate, question_key, answer_hash, grading_fingerprint)
);

-- The API's rate limits, shared by its replicas: one counter per key and window.
CREATE TABLE rate_limit_counters (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (key, window_start)
);
-- For deleting the windows that have passed.
CREATE INDEX rate_limit_counters_window_start ON rate_limit_counters (window_start);

-- Down Migration

DROP TABLE rate_limit_counters;
DROP TABLE run_grades;
DROP TABLE run_answers;
DROP TABLE batch_runs;
DROP TABLE store_versions;
DROP TABLE review_log;
DROP TABLE graded_examples;
DROP TABLE bank_versions;
DROP FUNCTION answerkey_notify_store_change();
DROP FUNCTION answerkey_bump_store_version();
