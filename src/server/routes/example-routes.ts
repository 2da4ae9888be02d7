import { Router } from 'express';
import type { Grader } from '../../grading/grader.js';
import { exampleListQuerySchema, exampleListSchema, exampleRequestSchema, exampleSchema } from '../api-schemas.js';
import { validOutput } from '../valid-output.js';

/** Graded examples: stored per question, embedded into the index, and used to grade that question's answers. */
export function exampleRoutes(grader: Grader): Router {
  const router = Router();

  router.post('/v1/examples', async (request, response) => {
    const body = exampleRequestSchema.parse(request.body);
    // The index is rebuilt before the answer: a grade requested next already uses the example.
    const [example] = await grader.addExamples([body]);
    response.status(201).location(`/v1/examples/${example.id}`).json(validOutput(exampleSchema, example));
  });

  router.get('/v1/examples', (request, response) => {
    const { questionId } = exampleListQuerySchema.parse(request.query);
    response.json(validOutput(exampleListSchema, { examples: grader.examples.list(questionId) }));
  });

  router.delete('/v1/examples/:id', async (request, response) => {
    await grader.removeExample(String(request.params.id));
    response.status(204).end();
  });

  return router;
}
