-- Batch runs graded through the job queue (issue #16): what a run could not grade, and the workers
-- that graded it. Applied by `answerkey db migrate` after the initial schema.

-- Up Migration

-- A run's rows and sections that were not graded, as errors.jsonl lists them
-- (batch/batch-answer.ts: InputProblem): the input's, stored when the run is queued (answer_ordinal
-- NULL), and the answers a worker's grader refused (answer_ordinal set, one problem per answer, so a
-- retried job records it once).
CREATE TABLE run_problems (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL REFERENCES batch_runs (id) ON DELETE CASCADE,
  answer_ordinal integer,
  problem jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (run_id, answer_ordinal) REFERENCES run_answers (run_id, ordinal) ON DELETE CASCADE
);
CREATE INDEX run_problems_run_id ON run_problems (run_id, id);
CREATE UNIQUE INDEX run_problems_answer ON run_problems (run_id, answer_ordinal) WHERE answer_ordinal IS NOT NULL;

-- The workers (`answerkey worker`): each says it is alive every few seconds, and what it has done.
CREATE TABLE queue_workers (
  -- host:pid:random, also recorded in each grade's provenance.
  id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  concurrency integer NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  graded integer NOT NULL DEFAULT 0,
  -- NULL while it runs; set when it stopped on its own (a killed worker never sets it).
  stopped_at timestamptz
);

-- Down Migration

DROP TABLE queue_workers;
DROP TABLE run_problems;
