import { basename } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { Grader } from '../../grading/grader.js';
import { exampleCreatedSchema, exampleListQuerySchema, exampleListSchema, exampleRequestSchema, exampleSchema, MAX_BAD_LINES_LISTED } from '../api-schemas.js';
import { validOutput } from '../valid-output.js';

/**
 * Graded examples: stored per question, embedded into the index, and used to grade that question's
 * answers. `writeGuards` run before a change (its scope and rate limit).
 */
export function exampleRoutes(grader: Grader, writeGuards: RequestHandler[]): Router {
  const router = Router();
  // Checked against the bank here, so that these 400s list their fields in `errors` like any other.
  const bodySchema = exampleRequestSchema.superRefine((body, context) => {
    const rubric = grader.bank.get(body.questionId);
    if (!rubric) {
      context.addIssue({ code: 'custom', path: ['questionId'], message: `no question "${body.questionId}" in the bank (GET /v1/questions lists the ids)` });
      return;
    }
    const scale = body.maxScore ?? rubric.maxScore;
    if (body.score > scale) context.addIssue({ code: 'custom', path: ['score'], message: `${body.score} is above the maximum ${scale}` });
  });

  router.post('/v1/examples', ...writeGuards, async (request, response) => {
    const body = bodySchema.parse(request.body);
    // Answered once the index includes the example: a grade requested next already uses it. A failed
    // rebuild still answers 201: the example is stored, and a client that retried would store it twice.
    const { added: [example], warning } = await grader.addExamples([body]);
    if (warning) request.log.warn({ exampleId: example.id }, warning.message);
    response
      .status(201)
      .location(`/v1/examples/${example.id}`)
      .json(validOutput(exampleCreatedSchema, { ...example, ...(warning === undefined ? {} : { warning: warning.publicMessage }) }));
  });

  router.get('/v1/examples', (request, response) => {
    const { questionId, limit, offset } = exampleListQuerySchema.parse(request.query);
    const examples = grader.examples.list(questionId);
    // Named by file, not by path: where the server keeps its files is not the caller's business.
    const badLines = grader.examples
      .badLines(questionId)
      .slice(0, MAX_BAD_LINES_LISTED)
      .map(({ path, lineNumber, problem }) => ({ file: basename(path), line: lineNumber, problem }));
    const page = { examples: examples.slice(offset, offset + limit), total: examples.length, limit, offset, badLines };
    response.json(validOutput(exampleListSchema, page));
  });

  router.get('/v1/examples/:id', (request, response) => {
    const example = grader.examples.get(String(request.params.id));
    if (!example) throw new AnswerkeyError('not_found', `no graded example "${request.params.id}"`, { hint: 'GET /v1/examples lists the ids' });
    response.json(validOutput(exampleSchema, example));
  });

  router.delete('/v1/examples/:id', ...writeGuards, async (request, response) => {
    const { removed, warning } = await grader.removeExample(String(request.params.id));
    if (warning) request.log.warn({ exampleId: removed.id }, warning.message);
    response.status(204).end();
  });

  return router;
}
