import { Router } from 'express';
import { validOutput } from '../valid-output.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { Grader } from '../../app/grader.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import {
  lookupQuerySchema,
  lookupResponse,
  lookupResponseSchema,
  questionDetailSchema,
  questionListSchema,
} from '../api-schemas.js';

export function questionRoutes(grader: Grader): Router {
  const router = Router();

  router.get('/v1/questions', (_request, response) => {
    const questions = grader.bank.rubrics.map((rubric) => ({
      id: rubric.id,
      section: rubric.section,
      question: rubric.question,
      maxScore: rubric.maxScore,
      keyPointCount: rubric.keyPoints.length,
    }));
    response.json(validOutput(questionListSchema, { questions }));
  });

  router.get('/v1/questions/:id', (request, response) => {
    const rubric = grader.bank.get(String(request.params.id));
    // 404, with the hint API clients are given for it (the error handler's API hints).
    if (!rubric) throw new AnswerkeyError('question_not_found', `no question "${request.params.id}" in the bank`);
    response.json(validOutput(questionDetailSchema, rubric));
  });

  router.get('/v1/lookup', async (request, response) => {
    const query = lookupQuerySchema.parse(request.query);
    const matches = await grader.lookup(query.q, query.by === 'question' ? 'question' : 'reference', query.limit);
    response.json(validOutput(lookupResponseSchema, lookupResponse(matches, grader.config.matchThreshold)));
  });

  for (const path of ['/v1/questions', '/v1/questions/:id', '/v1/lookup'])
    router.all(path, methodNotAllowed('GET', 'HEAD'));

  return router;
}
