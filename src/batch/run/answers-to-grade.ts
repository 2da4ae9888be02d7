import type { GradingMode } from '../../config/grading-mode.js';
import { join } from 'node:path';
import { answerKey, type BatchAnswer } from '../batch-answer.js';
import {
  changedParts,
  lacksMatchThreshold,
  type FingerprintTarget,
  type GradedWith,
  type GradedWithPart,
} from '../grading-fingerprint.js';
import type { StoredGrade } from '../result-row.js';
import { RESULTS_FILE } from './results-store.js';
import { plural } from '../../text/plural.js';

/** Why stored grades are graded again: a part of the settings that changed, or no record of them. */
export type RegradeReason = GradedWithPart | 'unrecorded';

export type RegradeCount = { reason: RegradeReason; answers: number; questions: Set<string> };

export type AnswersToGrade = {
  /** New answers, changed answers, and stored grades that are stale: in input order. */
  pending: BatchAnswer[];
  alreadyDone: number;
  /** Of `pending`, the answers graded before whose grades are stale, by reason. */
  regraded: number;
  reasons: RegradeCount[];
  /** Model grades kept although they predate the record of settings (regrading them costs money). */
  keptUnrecorded: number;
};

/**
 * Sorts the input's answers into done and to grade. In a local run a model's grade always settles
 * its answer; otherwise a stored grade settles it when its scorer fits the run (only a model's in an
 * LLM run) and it was graded with the settings of now.
 */
export function answersToGrade(
  answers: readonly BatchAnswer[],
  stored: ReadonlyMap<string, StoredGrade>,
  mode: GradingMode,
  gradedWithNow: (target: FingerprintTarget) => GradedWith,
): AnswersToGrade {
  const pending: BatchAnswer[] = [];
  const counts = new Map<RegradeReason, RegradeCount>();
  let keptUnrecorded = 0;
  let regraded = 0;
  const count = (reason: RegradeReason, question: string) => {
    const entry = counts.get(reason) ?? { reason, answers: 0, questions: new Set<string>() };
    entry.answers += 1;
    entry.questions.add(question);
    counts.set(reason, entry);
  };
  for (const answer of answers) {
    const grade = stored.get(answerKey(answer));
    if (!grade || (mode === 'llm' && grade.mode !== 'llm')) {
      pending.push(answer);
      continue;
    }
    // A local run never replaces a model's grade: it was paid for, and the local settings it would be
    // compared with (weights above all) never shaped it. `--mode llm` refreshes a stale one.
    if (mode === 'local' && grade.mode === 'llm') continue;
    const recorded = grade.gradedWith;
    const current = recorded && gradedWithNow({ ...answer, questionId: grade.questionId });
    const parts = recorded && current ? changedParts(recorded, current, mode === 'llm') : [];
    // Nothing else changed, but the record predates the match threshold: which one matched is unknown.
    const unrecorded = !recorded || !current || (parts.length === 0 && lacksMatchThreshold(recorded, current));
    if (unrecorded) {
      if (grade.mode === 'llm') {
        keptUnrecorded += 1;
        continue;
      }
      count('unrecorded', grade.questionId ?? answer.questionKey);
    } else if (parts.length === 0) {
      continue;
    } else {
      for (const part of parts) count(part, grade.questionId ?? answer.questionKey);
    }
    regraded += 1;
    pending.push(answer);
  }
  const order: RegradeReason[] = ['scorer', 'weights', 'question', 'matchThreshold', 'examples', 'unrecorded'];
  const reasons = [...counts.values()].sort((left, right) => order.indexOf(left.reason) - order.indexOf(right.reason));
  return { pending, alreadyDone: answers.length - pending.length, regraded, reasons, keptUnrecorded };
}

const CHANGED_TEXT: Record<GradedWithPart, (questions: string) => string> = {
  scorer: () => 'the model changed',
  weights: () => 'the scorer weights changed',
  question: (questions) => `the rubric of ${questions} changed`,
  examples: (questions) => `the graded examples of ${questions} changed`,
  matchThreshold: (questions) => `the match threshold changed for ${questions}`,
};

/** "12 answers regraded: the scorer weights changed (12) and the graded examples of q4 changed (3) since they were graded". */
export function describeRegrade(plan: Pick<AnswersToGrade, 'regraded' | 'reasons'>, verb = 'regraded'): string {
  const changed = plan.reasons.flatMap(({ reason, answers, questions }) =>
    reason === 'unrecorded' ? [] : [`${CHANGED_TEXT[reason](namedQuestions(questions))} (${answers})`],
  );
  const unrecorded = plan.reasons.find((entry) => entry.reason === 'unrecorded');
  const parts = [
    ...(changed.length > 0 ? [`${changed.join(' and ')} since they were graded`] : []),
    ...(unrecorded ? [`graded by an earlier version that did not record its settings (${unrecorded.answers})`] : []),
  ];
  return `${plural(plan.regraded, 'answer')} ${verb}: ${parts.join('; ')}`;
}

function namedQuestions(questions: ReadonlySet<string>): string {
  const list = [...questions];
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
}

/** Model grades are not regraded for want of a record: that would cost money the user did not ask to spend. */
export function describeKeptUnrecorded(count: number, out: string): string {
  return `${plural(count, 'model grade')} kept although graded by an earlier version that did not record its settings; to grade them again, use a new --out folder or delete ${join(out, RESULTS_FILE)}`;
}
