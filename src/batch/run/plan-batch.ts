import type { GradingMode } from '../../config/grading-mode.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { answersToGrade, type AnswersToGrade } from './answers-to-grade.js';
import { excerptOf } from '../batch-answer.js';
import { compareKeys } from '../report/candidate-summary.js';
import { createGradingFingerprint, type FingerprintSources } from '../grading-fingerprint.js';
import { readInput, type BatchInput } from '../input/read-input.js';
import { latestGrades, readResultsFile, RESULTS_FILE } from './results-store.js';

/** `note`: the question's text when it has no bank id. */
export type PlanCount = { key: string; note?: string; answers: number; done: number };

export type BatchPlan = {
  input: BatchInput;
  /** The answers a run would grade: not in results.jsonl yet. */
  remaining: BatchInput['answers'];
  alreadyDone: number;
  toGrade: number;
  /** Of `toGrade`, stored grades that are stale, and why; model grades kept for want of a record. */
  regrade: Pick<AnswersToGrade, 'regraded' | 'reasons' | 'keptUnrecorded'>;
  byQuestion: PlanCount[];
  byCandidate: PlanCount[];
  /** Lines of an existing results.jsonl that a run would drop and redo. */
  damagedResults: number;
};

/** What a run would do, without grading or writing anything (`--dry-run`). */
export async function planBatch(
  inputPath: string,
  outDirectory: string,
  grader: FingerprintSources,
  mode: GradingMode = 'local',
): Promise<BatchPlan> {
  const input = await readInput(inputPath, grader.bank);
  const resultsPath = join(outDirectory, RESULTS_FILE);
  const results = existsSync(resultsPath) ? readResultsFile(resultsPath) : { rows: [], dropped: [] };
  const plan = answersToGrade(input.answers, latestGrades(results.rows), mode, createGradingFingerprint(grader, mode));
  const toGrade = new Set(plan.pending);
  const byQuestion = new Map<string, PlanCount>();
  const byCandidate = new Map<string, PlanCount>();
  for (const answer of input.answers) {
    const isDone = !toGrade.has(answer);
    const note =
      answer.questionRef.question === undefined ? undefined : `"${excerptOf(answer.questionRef.question, 60)}"`;
    for (const [map, key, label] of [
      [byQuestion, answer.questionKey, note],
      [byCandidate, answer.candidateId, undefined],
    ] as const) {
      const count = map.get(key) ?? { key, ...(label ? { note: label } : {}), answers: 0, done: 0 };
      count.answers += 1;
      if (isDone) count.done += 1;
      map.set(key, count);
    }
  }
  const sorted = (map: Map<string, PlanCount>) =>
    [...map.values()].sort((left, right) => compareKeys(left.key, right.key));
  return {
    input,
    remaining: plan.pending,
    alreadyDone: plan.alreadyDone,
    toGrade: plan.pending.length,
    regrade: { regraded: plan.regraded, reasons: plan.reasons, keptUnrecorded: plan.keptUnrecorded },
    byQuestion: sorted(byQuestion),
    byCandidate: sorted(byCandidate),
    damagedResults: results.dropped.length,
  };
}
