import { Router, type RequestHandler } from 'express';
import type { ExampleAdmin, Grader } from '../../app/grader.js';
import { reviewGrade } from '../../reviews/review-grade.js';
import { LOCAL_REVIEWER } from '../../reviews/review-schema.js';
import { reviewCreatedSchema } from '../api-schemas.js';
import { validOutput } from '../valid-output.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { rebuildWarningOf } from '../middleware/error-handler.js';

/**
 * The interviewer's verdict on a grade, kept as a graded example and a line of the review log.
 * `writeGuards` are the graded examples' own (the examples scope, and their rate limit).
 */
export function reviewRoutes(grader: Grader & ExampleAdmin, writeGuards: RequestHandler[]): Router {
  const router = Router();

  router.post('/v1/grades/:id/review', ...writeGuards, async (request, response) => {
    const outcome = await reviewGrade(grader, grader.reviewLog, request.body, {
      gradeId: String(request.params.id),
      who: request.apiKeyName ?? LOCAL_REVIEWER,
    });
    const { warning, ...rest } = outcome;
    const worded = warning && rebuildWarningOf(warning);
    if (worded) request.log.warn({ exampleId: outcome.example.id }, worded.message);
    response
      .status(201)
      .location(`/v1/examples/${outcome.example.id}`)
      .json(
        validOutput(reviewCreatedSchema, {
          ...rest,
          ...(worded === undefined ? {} : { warning: worded.publicMessage }),
        }),
      );
  });

  router.all('/v1/grades/:id/review', methodNotAllowed('POST'));

  return router;
}
