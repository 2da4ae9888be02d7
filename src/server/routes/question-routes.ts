import { Router } from 'express';
import { validOutput } from '../valid-output.js';
import { HttpError } from '../../errors/answerkey-error.js';
import type { Grader } from '../../grading/grader.js';
import { lookupQuerySchema, lookupResponse, lookupResponseSchema, questionDetailSchema, questionListSchema } from '../api-schemas.js';

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
    if (!rubric) throw new HttpError(404, 'not_found', `no question "${request.params.id}" in the bank`, { hint: 'GET /v1/questions lists the ids' });
    response.json(validOutput(questionDetailSchema, rubric));
  });

  router.get('/v1/lookup', async (request, response) => {
    const query = lookupQuerySchema.parse(request.query);
    const matches = await grader.lookup(query.q, query.by === 'question' ? 'question' : 'reference', query.limit);
    response.json(validOutput(lookupResponseSchema, lookupResponse(matches, grader.config.matchThreshold)));
  });

  return router;
}
