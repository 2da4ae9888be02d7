import type { ReferenceIndex } from '../retrieval/reference-index.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { capGrade } from './cap-grade.js';
import type { Grade } from './grade-schema.js';
import { scoringInputForRubric, type Scorer, type ScoringInput } from './scorer.js';

export interface OffTopicGuardConfig {
  bank: QuestionBank;
  /** Opened only when an answer needs checking: a strong answer never touches the index. */
  index: () => Promise<ReferenceIndex>;
  /** Grades the answer against the competing questions; the local scorer is cheap enough. */
  scorer: Scorer;
  /** How many of the nearest other bank entries to try. */
  competitors: number;
  /** How much better (0–1 of the scale) another question's grade must be. */
  margin: number;
  /** Answers already scoring at least this are judged on their own merits. */
  spareAbove: number;
  cap: number;
}

/**
 * Margin: the answers written for the bank (references, paraphrases, partial answers, the shipped
 * take-homes and CSV) gain at most 0.004 against a rival question; answers to another question
 * gain 0.34–0.6, so 0.2 keeps clear of both.
 */
export const OFF_TOPIC_DEFAULTS = { competitors: 2, margin: 0.2, spareAbove: 0.6, cap: 0.05 } as const;

/**
 * A good answer to a different question shares words with any technical reference, so its own
 * grade alone may look "fair". What gives it away: graded against the bank entry it resembles
 * most, it does far better there.
 */
export async function guardAgainstOtherQuestions(
  grade: Grade,
  input: ScoringInput,
  config: OffTopicGuardConfig,
): Promise<Grade> {
  if (input.questionId === null || grade.normalizedScore >= config.spareAbove || grade.flags.includes('empty'))
    return grade;
  const nearest = await (
    await config.index()
  ).search(input.answer, { kind: 'reference', limit: config.competitors + 1 });
  // Only entries the index puts above the answer's own question are worth grading against.
  const ownRank = nearest.findIndex((entry) => entry.questionId === input.questionId);
  const rivals = (ownRank < 0 ? nearest : nearest.slice(0, ownRank)).slice(0, config.competitors);
  for (const match of rivals) {
    const rubric = config.bank.get(match.questionId);
    if (!rubric) continue;
    const elsewhere = await config.scorer.score(scoringInputForRubric(rubric, input.answer, match.similarity));
    if (elsewhere.normalizedScore - grade.normalizedScore >= config.margin) {
      return capGrade(
        grade,
        config.cap,
        'off_topic',
        `It reads as an answer to ${rubric.id} ("${rubric.question.slice(0, 60)}…"), where it would score ${elsewhere.score} of ${elsewhere.maxScore}.`,
      );
    }
  }
  return grade;
}
