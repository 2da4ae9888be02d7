import { randomBytes } from 'node:crypto';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { ExampleDraft } from '../examples/example-draft.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { Grade } from '../grading/grade-schema.js';
import type { GradeRequest } from '../grading/grade-request.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { ReviewLog } from './review-log.js';
import { reviewRequestSchema, type ReviewRecord, type ReviewRequest } from './review-schema.js';

/** What a review needs of the grader: its bank, grading, and storing examples (which keeps the index current). */
export interface ReviewGrader {
  bank: QuestionBank;
  grade(request: GradeRequest): Promise<Grade>;
  addExamples(
    drafts: readonly ExampleDraft[],
  ): Promise<{ added: GradedExample[]; warning?: { error: unknown; retryAfterMs?: number } }>;
}

export interface ReviewOutcome {
  review: ReviewRecord;
  example: GradedExample;
  /** The grader's grade of the answer before the review (regraded, never taken from the client). */
  before: Grade;
  /** The grader's next grade of the same answer, with the review among its examples. */
  after: Grade;
  /** The index could not be rebuilt after storing the example (the entry point words it). */
  warning?: { error: unknown; retryAfterMs?: number };
}

export interface ReviewOptions {
  /** The id of the grade reviewed; undefined reviews whatever the grader gives the answer now. */
  gradeId?: string;
  /** Who reviews: the API key's name, or "local". */
  who: string;
  now?: () => Date;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Keeps the interviewer's verdict on a grade: regrades the answer (so the grader's score recorded is
 * the grader's), stores the verdict as a graded example of the question (same store and locks as any
 * example), appends it to the review log, and grades the answer once more to show how it moves.
 */
export async function reviewGrade(
  grader: ReviewGrader,
  log: ReviewLog,
  body: ReviewRequest,
  options: ReviewOptions,
): Promise<ReviewOutcome> {
  const request = reviewRequestSchema.parse(body);
  if (!grader.bank.get(request.questionId)) {
    throw new AnswerkeyError('question_not_found', `no question "${request.questionId}" in the bank`, {
      hint: 'only grades of bank questions can be reviewed',
      details: { reason: 'review_question_unknown' },
    });
  }
  const gradeRequest: GradeRequest = {
    questionId: request.questionId,
    answer: request.answer,
    maxScore: request.maxScore,
    mode: request.mode,
  };
  const before = await grader.grade(gradeRequest);
  if (options.gradeId !== undefined && before.id !== options.gradeId) {
    throw new AnswerkeyError(
      'invalid_input',
      `grade ${options.gradeId} is not a grade of this answer to ${request.questionId} (that is ${before.id})`,
      {
        hint: 'give the answer, question and maximum score exactly as they were graded',
        details: {
          reason: 'grade_id_mismatch',
          errors: [{ path: 'answer', message: `is not the answer grade ${options.gradeId} was for` }],
        },
      },
    );
  }
  const statuses = new Map(before.keyPoints.map((keyPoint) => [keyPoint.id, keyPoint.status]));
  for (const keyPoint of request.keyPoints ?? []) {
    if (!statuses.has(keyPoint.id)) {
      throw new AnswerkeyError(
        'invalid_input',
        `keyPoints: "${keyPoint.id}" is not a key point of ${request.questionId}`,
        {
          hint: `its key points are ${[...statuses.keys()].join(', ')}`,
        },
      );
    }
  }
  const reviewerScore = request.score ?? before.score;
  if (reviewerScore > before.maxScore) {
    throw new AnswerkeyError('invalid_input', `score: ${reviewerScore} is above the maximum ${before.maxScore}`, {
      hint: `give a score from 0 to ${before.maxScore}`,
      details: { errors: [{ path: 'score', message: `${reviewerScore} is above the maximum ${before.maxScore}` }] },
    });
  }
  const overrides = new Map((request.keyPoints ?? []).map((keyPoint) => [keyPoint.id, keyPoint.status]));
  const reviewed = before.keyPoints.map((keyPoint) => ({
    id: keyPoint.id,
    status: overrides.get(keyPoint.id) ?? keyPoint.status,
  }));
  const changes = before.keyPoints.flatMap((keyPoint) => {
    const reviewer = overrides.get(keyPoint.id);
    return reviewer !== undefined && reviewer !== keyPoint.status
      ? [{ id: keyPoint.id, grader: keyPoint.status, reviewer }]
      : [];
  });
  const {
    added: [example],
    warning,
  } = await grader.addExamples([
    {
      questionId: request.questionId,
      answer: request.answer,
      score: reviewerScore,
      maxScore: before.maxScore,
      keyPoints: reviewed,
      ...(request.note === undefined ? {} : { note: request.note }),
    },
  ]);
  const review: ReviewRecord = {
    id: `rv-${randomBytes(4).toString('hex')}`,
    gradeId: before.id ?? '',
    questionId: request.questionId,
    at: (options.now?.() ?? new Date()).toISOString(),
    who: options.who,
    accepted: request.accept === true && changes.length === 0,
    maxScore: before.maxScore,
    graderScore: round2(before.score),
    reviewerScore: round2(reviewerScore),
    keyPoints: changes,
    ...(request.note === undefined ? {} : { note: request.note }),
    exampleId: example.id,
  };
  await log.append(review);
  const after = await grader.grade(gradeRequest);
  return { review, example, before, after, ...(warning === undefined ? {} : { warning }) };
}
