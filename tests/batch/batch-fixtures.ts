import { writeFileSync } from 'node:fs';
import type { BatchProgress } from '../../src/batch/run/batch-progress.js';
import { runBatch } from '../../src/batch/run/run-batch.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';

export const QUIET_PROGRESS: BatchProgress = { start: () => undefined, update: () => undefined, stop: () => undefined };

export type BatchOptions = Parameters<typeof runBatch>[0];

/** `runBatch` with the tests' defaults: local mode, 2 at a time, no notices, no progress bar. */
export function runQuietBatch(
  options: Pick<BatchOptions, 'inputPath' | 'outDirectory' | 'grader'> & Partial<BatchOptions>,
) {
  return runBatch({ concurrency: 2, mode: 'local', notice: () => undefined, progress: QUIET_PROGRESS, ...options });
}

/** A JSONL of `candidates` × the first `questions` bank questions, answers of mixed quality from the fixtures. */
export function writeAnswersJsonl(path: string, candidates: number, questions: number): number {
  const fixtures = loadCandidateAnswers();
  const ids = Object.keys(fixtures).slice(0, questions);
  const lines: string[] = [];
  for (let candidate = 1; candidate <= candidates; candidate += 1) {
    ids.forEach((questionId, index) => {
      const { paraphrase, partial } = fixtures[questionId];
      const answer =
        (candidate + index) % 3 === 0
          ? partial
          : (candidate + index) % 3 === 1
            ? paraphrase
            : `${partial} ${paraphrase.split('. ')[0]}.`;
      lines.push(
        JSON.stringify({ candidate_id: `cand-${String(candidate).padStart(3, '0')}`, question_id: questionId, answer }),
      );
    });
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length;
}
