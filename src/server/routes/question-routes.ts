import { Router } from 'express';
import { validOutput } from '../valid-output.js';
import { HttpError } from '../../errors/answerkey-error.js';
import type { Grader } from '../../grading/grader.js';
import { lookupQuerySchema, lookupResponseSchema, questionDetailSchema, questionListSchema } from '../api-schemas.js';

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
    if (!rubric) throw new HttpError(404, 'not_found', `no question "${request.params.id}" in the bank`);
    response.json(validOutput(questionDetailSchema, rubric));
  });

  router.get('/v1/lookup', async (request, response) => {
    const query = lookupQuerySchema.parse(request.query);
    const matches = await grader.lookup(query.q, query.by === 'question' ? 'question' : 'reference', query.limit);
    const threshold = grader.config.matchThreshold;
    const best = matches[0];
    response.json(
      validOutput(lookupResponseSchema, {
        matched: best && best.similarity >= threshold ? best.questionId : null,
        threshold,
        matches: matches.map((match) => ({
          questionId: match.questionId,
          similarity: Math.round(match.similarity * 1000) / 1000,
          question: match.rubric.question,
        })),
      }),
    );
  });

  return router;
}
