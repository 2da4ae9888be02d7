import type { GradingMode } from '../config/grading-mode.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { hashExamples } from '../examples/example-store.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { gradingContent } from '../rubrics/rubric-schema.js';
import type { QuestionRef } from './batch-answer.js';
import { sha256 } from '../text/sha256.js';

/** What a grade was graded with, recorded on each result so a rerun can tell a stale grade. Each part is a short hash. */
export const gradedWithSchema = z.object({
  /** "local", or "llm:" and the chat model. */
  scorer: z.string(),
  /** The local scorer's weights file (also the LLM mode's guard and fallback). */
  weights: z.string(),
  /** The question's rubric, or for a question given by its text the whole bank (the match depends on it), and any max_score given. */
  question: z.string(),
  /** The question's graded examples and how many are used; "none" when none are. */
  examples: z.string(),
  /** For a question given by its text alone, the least similarity of its match in the bank. Absent for the others, and in records from before it was recorded. */
  matchThreshold: z.number().optional(),
});

export type GradedWith = z.infer<typeof gradedWithSchema>;
export type GradedWithPart = keyof GradedWith;

/** What the fingerprint reads of the grader: its settings, bank and graded examples. */
export type FingerprintSources = {
  bank: QuestionBank;
  config: { weightsPath: string; exampleCount: number; matchThreshold: number; llm: { chatModel: string } };
  examples: { list(questionId: string): GradedExample[] };
};

/** The answer being graded, and the bank question its grade was for (a question given by text is matched when graded). */
export type FingerprintTarget = { questionKey: string; questionRef: QuestionRef; questionId: string | null };

function shortHash(value: unknown): string {
  return sha256(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 16);
}

function fileHash(path: string): string {
  try {
    return shortHash(readFileSync(path));
  } catch {
    // Grading says why the file cannot be read; a later run with the file regrades.
    return 'unreadable';
  }
}

/**
 * Computes what a grade in `mode` is graded with, now. The weights file is hashed once; a
 * question's rubric and examples once per question.
 */
export function createGradingFingerprint(
  sources: FingerprintSources,
  mode: GradingMode,
): (target: FingerprintTarget) => GradedWith {
  const scorer = mode === 'llm' ? `llm:${sources.config.llm.chatModel}` : 'local';
  const weights = fileHash(sources.config.weightsPath);
  const rubricHashes = new Map<string, string>();
  const exampleHashes = new Map<string, string>();
  const rubricOf = (questionId: string) => {
    const rubric = sources.bank.get(questionId);
    return rubric ? gradingContent(rubric) : 'not in the bank';
  };
  const rubricHash = (questionId: string) => {
    let hash = rubricHashes.get(questionId);
    if (hash === undefined) rubricHashes.set(questionId, (hash = shortHash(rubricOf(questionId))));
    return hash;
  };
  const examplesHash = (questionId: string | null) => {
    const { exampleCount } = sources.config;
    if (exampleCount === 0 || questionId === null || !sources.bank.get(questionId)) return 'none';
    let hash = exampleHashes.get(questionId);
    if (hash === undefined) {
      const examples = hashExamples(sources.examples.list(questionId));
      // No examples stored grades as --examples 0 does: both are "none".
      hash = examples === null ? 'none' : shortHash([exampleCount, examples]);
      exampleHashes.set(questionId, hash);
    }
    return hash;
  };
  return ({ questionKey, questionRef, questionId }) => {
    const matched = questionRef.questionId === undefined && questionRef.referenceAnswer === undefined;
    const rubric =
      questionRef.questionId !== undefined
        ? rubricHash(questionRef.questionId)
        : matched
          ? sources.bank.hash
          : questionKey;
    return {
      scorer,
      weights,
      question: shortHash([rubric, questionRef.maxScore ?? null]),
      examples: examplesHash(questionId),
      ...(matched ? { matchThreshold: sources.config.matchThreshold } : {}),
    };
  };
}

/**
 * The parts of `current` a stored grade differs in. The scorer counts only when `compareScorer`:
 * a local run keeps a model's grade, but a model run wants its own model's.
 */
export function changedParts(stored: GradedWith, current: GradedWith, compareScorer: boolean): GradedWithPart[] {
  const parts: GradedWithPart[] = compareScorer
    ? ['scorer', 'weights', 'question', 'examples', 'matchThreshold']
    : ['weights', 'question', 'examples', 'matchThreshold'];
  return parts.filter(
    (part) => stored[part] !== current[part] && !(part === 'matchThreshold' && stored.matchThreshold === undefined),
  );
}

/** A grade of a question given by its text, recorded before the match threshold was: which threshold matched it is unknown. */
export function lacksMatchThreshold(stored: GradedWith, current: GradedWith): boolean {
  return stored.matchThreshold === undefined && current.matchThreshold !== undefined;
}
