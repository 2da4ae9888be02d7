import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { answerKey, excerptOf, settles } from './batch-answer.js';
import { compareKeys } from './candidate-summary.js';
import { readInput, type BatchInput } from './read-input.js';
import { readResultsFile, RESULTS_FILE } from './results-store.js';

/** `note`: the question's text when it has no bank id. */
export type PlanCount = { key: string; note?: string; answers: number; done: number };

export type BatchPlan = {
  input: BatchInput;
  /** The answers a run would grade: not in results.jsonl yet. */
  remaining: BatchInput['answers'];
  alreadyDone: number;
  toGrade: number;
  byQuestion: PlanCount[];
  byCandidate: PlanCount[];
  /** Lines of an existing results.jsonl that a run would drop and redo. */
  damagedResults: number;
};

/** What a run would do, without grading or writing anything (`--dry-run`). */
export function planBatch(inputPath: string, outDirectory: string, bank: QuestionBank, mode: 'local' | 'llm' = 'local'): BatchPlan {
  const input = readInput(inputPath, bank);
  const resultsPath = join(outDirectory, RESULTS_FILE);
  const results = existsSync(resultsPath) ? readResultsFile(resultsPath) : { rows: [], dropped: [] };
  const done = new Set(results.rows.filter((row) => settles(row, mode)).map(answerKey));
  const byQuestion = new Map<string, PlanCount>();
  const byCandidate = new Map<string, PlanCount>();
  let alreadyDone = 0;
  const remaining: BatchInput['answers'] = [];
  for (const answer of input.answers) {
    const isDone = done.has(answerKey(answer));
    if (isDone) alreadyDone += 1;
    else remaining.push(answer);
    const note = answer.questionRef.question === undefined ? undefined : `"${excerptOf(answer.questionRef.question, 60)}"`;
    for (const [map, key, label] of [[byQuestion, answer.questionKey, note], [byCandidate, answer.candidateId, undefined]] as const) {
      const count = map.get(key) ?? { key, ...(label ? { note: label } : {}), answers: 0, done: 0 };
      count.answers += 1;
      if (isDone) count.done += 1;
      map.set(key, count);
    }
  }
  const sorted = (map: Map<string, PlanCount>) => [...map.values()].sort((left, right) => compareKeys(left.key, right.key));
  return {
    input,
    remaining,
    alreadyDone,
    toGrade: input.answers.length - alreadyDone,
    byQuestion: sorted(byQuestion),
    byCandidate: sorted(byCandidate),
    damagedResults: results.dropped.length,
  };
}
