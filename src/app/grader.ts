import type { AnswerkeyConfig } from '../config/config.js';
import type { ExampleStore, SourcedDraft } from '../examples/example-store.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { Grade } from '../grading/grade-schema.js';
import type { GradeRequest } from '../grading/grade-request.js';
import type { LocalScorer } from '../grading/local-scorer/index.js';
import type { RebuiltIndex } from '../retrieval/live-reference-index.js';
import type { ReferenceKind, ReferenceMatch } from '../retrieval/reference-index.js';
import type { ReviewLog } from '../reviews/review-log.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { Rubric } from '../rubrics/rubric-schema.js';

/*
 * The seams the entry points depend on: each takes the narrowest of these it needs, and
 * `createGrader` (create-grader.ts) is the one place that builds them all.
 */

/**
 * That the index could not be rebuilt after a change (which stays made): the error that stopped the
 * rebuild, and how soon it is tried again (`retryAfterMs`; absent when it is rebuilt by hand only,
 * ANSWERKEY_INDEX_REBUILD=never). Each entry point words it with `describeRebuildWarning`
 * (rebuild-warning.ts), saying why in its own words.
 */
export type RebuildWarning = { error: unknown; retryAfterMs?: number };

/** Graded examples stored, and a warning when the index could not be rebuilt to include them. */
export interface ExamplesAdded {
  added: GradedExample[];
  warning?: RebuildWarning;
}

/** A graded example deleted, and a warning when the index could not be rebuilt without it. */
export interface ExampleRemoved {
  removed: GradedExample;
  warning?: RebuildWarning;
}

export interface LookupMatch extends ReferenceMatch {
  rubric: Rubric;
}

/** Grading: a grade for an answer, the bank questions nearest a text. */
export interface Grader {
  readonly config: AnswerkeyConfig;
  readonly bank: QuestionBank;
  /** Whether requests may ask for LLM mode. */
  readonly llmConfigured: boolean;
  grade(request: GradeRequest): Promise<Grade>;
  /** The nearest bank entries to a question (or, by reference answer, to an answer), best first. */
  lookup(text: string, kind: ReferenceKind, limit?: number): Promise<LookupMatch[]>;
}

/** The interviewers' graded examples: changed through here, which keeps the index current. */
export interface ExampleAdmin {
  readonly bank: QuestionBank;
  readonly examples: ExampleStore;
  /** The log of interviewers' reviews, kept where the examples are. */
  readonly reviewLog: ReviewLog;
  /**
   * Brings `examples` up to date with what other processes changed (a store in a database keeps a
   * snapshot); grading does it by itself. Nothing to do for files.
   */
  syncExamples(): Promise<void>;
  /**
   * Stores graded examples (all or none) and waits for a rebuild of the index that includes them, so
   * the next grade uses them. Grades meanwhile use the index as it was; changes made together share a
   * rebuild. A rebuild that fails does not undo the change: it comes back as a warning.
   */
  addExamples(drafts: readonly SourcedDraft[]): Promise<ExamplesAdded>;
  removeExample(id: string): Promise<ExampleRemoved>;
}

/** The reference index and the process's warm state. */
export interface IndexAdmin {
  buildIndex(): Promise<RebuiltIndex>;
  /** Loads the index and analyses every bank reference now, so the first requests are not slow. */
  warmUp(): Promise<void>;
  close(): void;
}

/** Everything wired from one configuration: what the command line hands out, part by part. */
export interface AnswerkeyApp extends Grader, ExampleAdmin, IndexAdmin {
  /** The local scorer itself, for evaluation and calibration, which refit it. */
  readonly scorer: LocalScorer;
}
