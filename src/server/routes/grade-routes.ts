import { Router, type Request } from 'express';
import { ZodError } from 'zod';
import { validOutput } from '../valid-output.js';
import { HttpError } from '../http-error.js';
import type { Grade } from '../../grading/grade-schema.js';
import type { Grader } from '../../app/grader.js';
import { gradeSchema } from '../../grading/grade-schema.js';
import { batchRequestSchema, batchResponseSchema, gradeRequestSchema, type BatchResponse } from '../api-schemas.js';
import { runPool } from '../../concurrency/worker-pool.js';
import { problemFor } from '../middleware/error-handler.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { Metrics } from '../metrics.js';

export interface GradeRoutesConfig {
  grader: Grader;
  metrics: Metrics;
  batchMaxItems: number;
  batchConcurrency: number;
}

export function gradeRoutes({ grader, metrics, batchMaxItems, batchConcurrency }: GradeRoutesConfig): Router {
  const router = Router();

  /** `path` places the body in the request: a batch item's problems are named items[3].answer, not answer. */
  async function gradeOne(body: unknown, path: PropertyKey[] = []): Promise<Grade> {
    const parsed = gradeRequestSchema.safeParse(body);
    if (!parsed.success)
      throw new ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] })));
    const request = parsed.data;
    // Without a configured model server the grader refuses mode "llm" with a 501 and a hint.
    const grade = validOutput(gradeSchema, await grader.grade(request));
    metrics.grades.inc({ mode: grade.mode, band: grade.band });
    if (grade.usage) {
      metrics.llmTokens.inc({ kind: 'prompt' }, grade.usage.promptTokens);
      metrics.llmTokens.inc({ kind: 'completion' }, grade.usage.completionTokens);
    }
    if (grade.flags.includes('llm_unavailable')) metrics.llmErrors.inc({ reason: 'fallback_to_local' });
    return grade;
  }

  router.post('/v1/grade', async (request, response) => {
    response.json(await gradeOne(request.body));
  });

  router.all('/v1/grade', methodNotAllowed('POST'));

  router.post('/v1/grade/batch', async (request, response) => {
    const { items } = batchRequestSchema.parse(request.body);
    if (items.length > batchMaxItems) {
      throw new HttpError(
        413,
        'payload_too_large',
        `a batch holds at most ${batchMaxItems} items, not ${items.length}`,
        {
          hint: 'split it into several requests',
        },
      );
    }
    const results = new Array<BatchResponse['results'][number]>(items.length);
    await runPool(items.keys(), batchConcurrency, async (index) => {
      results[index] = await gradeItem(items[index], index, request);
    });
    const succeeded = results.filter((result) => 'grade' in result).length;
    response.json(validOutput(batchResponseSchema, { results, succeeded, failed: results.length - succeeded }));
  });
  router.all('/v1/grade/batch', methodNotAllowed('POST'));

  /** One item of a batch: its grade, or the problem that stopped it, in its place. */
  async function gradeItem(item: unknown, index: number, request: Request): Promise<BatchResponse['results'][number]> {
    const requestId = request.id;
    try {
      return { index, grade: await gradeOne(item, ['items', index]) };
    } catch (error) {
      const problem = problemFor(error);
      if (!problem.known) throw error;
      if (problem.withheld) request.log.error({ err: error, requestId }, problem.withheld);
      return {
        index,
        error: {
          type: `https://answerkey.dev/problems/${problem.status}`,
          title: 'Item not graded',
          status: problem.status,
          detail: problem.detail,
          requestId,
          ...(problem.errors ? { errors: problem.errors } : {}),
        },
      };
    }
  }

  return router;
}
