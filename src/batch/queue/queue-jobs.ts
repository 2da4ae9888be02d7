import { z } from 'zod';
import type { GradingMode } from '../../config/grading-mode.js';

/**
 * The job queues of queued runs: one per grading mode, so a worker without a model server never
 * takes an LLM-mode job, each with its dead-letter queue for the jobs that failed every retry.
 */
export const GRADE_QUEUES: Record<GradingMode, { name: string; deadLetter: string }> = {
  local: { name: 'answerkey-grade-local', deadLetter: 'answerkey-grade-local-failed' },
  llm: { name: 'answerkey-grade-llm', deadLetter: 'answerkey-grade-llm-failed' },
};

/** Every queue name, dead letters included. */
export const ALL_GRADE_QUEUES: string[] = Object.values(GRADE_QUEUES).flatMap((queue) => [
  queue.name,
  queue.deadLetter,
]);

/** A job that fails is tried again this many times, waiting longer each time (retryBackoff), before it goes to the dead-letter queue. */
export const JOB_RETRY_LIMIT = 5;
/** The first wait before a retry, in seconds; pg-boss doubles it each time. */
export const JOB_RETRY_DELAY_SECONDS = 2;
/** A job not finished in this long (its worker died, or hangs) is given to another worker. */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 15 * 60;

/** One job: the answers of a run with ordinals first..last, graded by one worker. */
export const gradeJobSchema = z.object({
  runId: z.string().min(1),
  first: z.number().int().min(0),
  last: z.number().int().min(0),
});

export type GradeJob = z.infer<typeof gradeJobSchema>;

/** Answers per job: 25 for a small run, up to 100 for a big one, so 100,000 answers are 1,000 jobs, not 100,000. */
export function answersPerJob(total: number): number {
  return Math.min(100, Math.max(25, Math.ceil(total / 200)));
}

/** The jobs of a run of `total` answers (ordinals 0…total-1), in order. */
export function chunkJobs(runId: string, total: number): GradeJob[] {
  const size = answersPerJob(total);
  const jobs: GradeJob[] = [];
  for (let first = 0; first < total; first += size)
    jobs.push({ runId, first, last: Math.min(total, first + size) - 1 });
  return jobs;
}
