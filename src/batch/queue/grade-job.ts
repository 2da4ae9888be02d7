import type { Queryable } from '../../database/database.js';
import { isAnswerkeyError } from '../../errors/answerkey-error.js';
import type { Grade } from '../../grading/grade-schema.js';
import { isInterruption } from '../../llm/call-deadline.js';
import type { ConcurrencyLimit } from '../../llm/concurrency-limit.js';
import { sha256 } from '../../text/sha256.js';
import { createGradingFingerprint, type GradedWith } from '../grading-fingerprint.js';
import { gradingProblem, type BatchGrader } from '../run/run-batch.js';
import type { GradeJob } from './queue-jobs.js';
import { answerRowSchema, type Provenance, type QueuedAnswer, type RunRow } from './run-records.js';

export type GradeJobContext = {
  database: Queryable;
  grader: BatchGrader;
  /** host:pid:random, recorded in each grade's provenance. */
  workerId: string;
  /** The worker's answers in flight at once, shared by all the jobs it holds. */
  limit: ConcurrencyLimit;
  /** True once the worker is stopping: answers not yet started are left for the job's next holder. */
  shouldStop: () => boolean;
  /** Called after each answer graded or refused, for the worker's progress. */
  onAnswer?: () => void;
};

export type JobOutcome = {
  /** Grades this worker stored. */
  graded: number;
  /** Answers the grader refused, stored as problems of the run. */
  failed: number;
  /** Answers graded (or refused) before: by this job's earlier holder, or by another worker at the same time. */
  alreadyDone: number;
  /** Answers not graded because the worker is stopping: the job is handed back for them. */
  left: number;
};

/** A short hash of what a grade was graded with: part of run_grades' key, so other settings grade again. */
export function gradingFingerprint(gradedWith: GradedWith): string {
  return sha256(JSON.stringify(gradedWith)).slice(0, 16);
}

/** The job's answers that have neither a grade nor a recorded problem yet, in order. */
async function answersToGrade(database: Queryable, job: GradeJob): Promise<{ answers: QueuedAnswer[]; done: number }> {
  const { rows } = await database.query(
    `SELECT a.ordinal, a.candidate, a.question_key, a.question_ref, a.answer, a.answer_hash, a.source,
            EXISTS (SELECT 1 FROM run_grades g
                     WHERE g.run_id = a.run_id AND g.candidate = a.candidate
                       AND g.question_key = a.question_key AND g.answer_hash = a.answer_hash)
         OR EXISTS (SELECT 1 FROM run_problems p WHERE p.run_id = a.run_id AND p.answer_ordinal = a.ordinal) AS done
       FROM run_answers a
      WHERE a.run_id = $1 AND a.ordinal BETWEEN $2 AND $3
      ORDER BY a.ordinal`,
    [job.runId, job.first, job.last],
  );
  const answers = rows.filter((row) => row.done !== true).map((row) => answerRowSchema.parse(row));
  return { answers, done: rows.length - answers.length };
}

/** Errors of the database or the wiring are the job's (it is retried); an answer's own are a problem of the run. */
function isAnswerProblem(error: unknown): boolean {
  return isAnswerkeyError(error) && !error.code.startsWith('database_') && !isInterruption(error);
}

/**
 * Grades the answers of one job that are not graded yet, with the run's mode, each stored the moment
 * it is ready with INSERT … ON CONFLICT DO NOTHING on run_grades' key (run, candidate, question,
 * answer hash, grading fingerprint): a worker killed after grading but before acknowledging the
 * job, or two workers holding it at once, never give an answer two grades. An answer the grader
 * refuses is stored as a problem of the run (once); anything else fails the job, to be retried.
 */
export async function gradeJob(job: GradeJob, run: RunRow, context: GradeJobContext): Promise<JobOutcome> {
  const { database, grader, limit } = context;
  const mode = run.options.mode;
  const gradedWithNow = createGradingFingerprint(grader, mode);
  const { answers, done } = await answersToGrade(database, job);
  const outcome: JobOutcome = { graded: 0, failed: 0, alreadyDone: done, left: 0 };
  let failure: { error: unknown } | undefined;
  await Promise.all(
    answers.map((answer) =>
      limit(async () => {
        if (failure || context.shouldStop()) {
          outcome.left += 1;
          return;
        }
        let grade: Grade;
        try {
          grade = await grader.grade({ answer: answer.answer, ...answer.questionRef, mode });
        } catch (error) {
          if (isInterruption(error)) {
            outcome.left += 1;
            return;
          }
          if (!isAnswerProblem(error)) {
            failure ??= { error };
            return;
          }
          try {
            const stored = await database.query(
              `INSERT INTO run_problems (run_id, answer_ordinal, problem) VALUES ($1, $2, $3)
               ON CONFLICT (run_id, answer_ordinal) WHERE answer_ordinal IS NOT NULL DO NOTHING`,
              [job.runId, answer.ordinal, JSON.stringify(gradingProblem(answer, error))],
            );
            if (stored.rowCount > 0) outcome.failed += 1;
            else outcome.alreadyDone += 1;
            context.onAnswer?.();
          } catch (storing) {
            failure ??= { error: storing };
          }
          return;
        }
        try {
          const gradedWith = gradedWithNow({ ...answer, questionId: grade.questionId });
          const provenance: Provenance = {
            gradedWith,
            examplesUsed: (grade.examples ?? []).map((example) => example.id),
            model: mode === 'llm' ? (grade.usage?.model ?? grader.config.llm.chatModel) : null,
            worker: context.workerId,
          };
          const stored = await database.query(
            `INSERT INTO run_grades (run_id, candidate, question_key, answer_hash, grading_fingerprint, grade, provenance)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
            [
              job.runId,
              answer.candidateId,
              answer.questionKey,
              answer.answerSha256,
              gradingFingerprint(gradedWith),
              JSON.stringify(grade),
              JSON.stringify(provenance),
            ],
          );
          if (stored.rowCount > 0) outcome.graded += 1;
          else outcome.alreadyDone += 1;
          context.onAnswer?.();
        } catch (error) {
          failure ??= { error };
        }
        // A synchronous scorer never yields: let signals, timers and the other jobs' statements in.
        await new Promise((resolve) => setImmediate(resolve));
      }),
    ),
  );
  if (failure) throw failure.error;
  return outcome;
}
