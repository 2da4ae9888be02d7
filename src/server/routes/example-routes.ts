import { basename } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { HttpError } from '../http-error.js';
import { IDEMPOTENCY_KEY_PATTERN, idempotentExampleId, storesSameExample } from '../../examples/idempotent-example.js';
import type { ExampleAdmin } from '../../app/grader.js';
import {
  exampleCreatedSchema,
  exampleListQuerySchema,
  exampleListSchema,
  exampleRequestSchema,
  exampleSchema,
  MAX_BAD_LINES_LISTED,
} from '../api-schemas.js';
import { validOutput } from '../valid-output.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { rebuildWarningOf } from '../middleware/error-handler.js';

/**
 * Graded examples: stored per question, embedded into the index, and used to grade that question's
 * answers. `writeGuards` run before a change (its scope and rate limit).
 */
export function exampleRoutes(grader: ExampleAdmin, writeGuards: RequestHandler[]): Router {
  const router = Router();
  // Checked against the bank here, so that these 400s list their fields in `errors` like any other.
  const bodySchema = exampleRequestSchema.superRefine((body, context) => {
    const rubric = grader.bank.get(body.questionId);
    if (!rubric) {
      context.addIssue({
        code: 'custom',
        path: ['questionId'],
        message: `no question "${body.questionId}" in the bank (GET /v1/questions lists the ids)`,
      });
      return;
    }
    const scale = body.maxScore ?? rubric.maxScore;
    if (body.score > scale)
      context.addIssue({ code: 'custom', path: ['score'], message: `${body.score} is above the maximum ${scale}` });
  });

  /** Requests with one idempotency key run one after another, so a retry sent early waits for the first. */
  const idempotentRuns = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = idempotentRuns.get(id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    idempotentRuns.set(id, settled);
    void settled.then(() => idempotentRuns.get(id) === settled && idempotentRuns.delete(id));
    return next;
  }

  router.post('/v1/examples', ...writeGuards, async (request, response) => {
    const idempotencyKey = request.get('idempotency-key');
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new HttpError(400, 'invalid_input', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        hint: 'send a UUID, say, new for each example and the same on each retry',
        details: { errors: [{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }] },
      });
    }
    const body = bodySchema.parse(request.body);
    if (idempotencyKey === undefined) return void (await store(body, undefined));
    const id = idempotentExampleId(request.apiKeyName ?? '', idempotencyKey);
    await oneAtATime(id, async () => {
      // Another replica may have stored it: its retry comes here.
      await grader.syncExamples();
      const stored = grader.examples.get(id);
      if (!stored) return store(body, id);
      const rubric = grader.bank.get(body.questionId);
      const wanted = {
        ...body,
        questionId: rubric?.id ?? body.questionId,
        maxScore: body.maxScore ?? rubric?.maxScore ?? 0,
      };
      if (!storesSameExample(stored, wanted)) {
        throw new HttpError(422, 'invalid_input', 'this Idempotency-Key was used for another example', {
          hint: `it stored ${stored.id}; send a new key for a different example`,
        });
      }
      // A retry of a request that was stored: the original example, stored once.
      response.status(200).setHeader('Idempotent-Replayed', 'true');
      response.location(`/v1/examples/${stored.id}`).json(validOutput(exampleCreatedSchema, stored));
    });

    async function store(draft: typeof body, exampleId: string | undefined): Promise<void> {
      // Answered once the index includes the example: a grade requested next already uses it. A failed
      // rebuild still answers 201: the example is stored (a retry with an Idempotency-Key finds it).
      const {
        added: [example],
        warning,
      } = await grader.addExamples([{ ...draft, ...(exampleId === undefined ? {} : { id: exampleId }) }]);
      const worded = warning && rebuildWarningOf(warning);
      if (worded) request.log.warn({ exampleId: example.id }, worded.message);
      response
        .status(201)
        .location(`/v1/examples/${example.id}`)
        .json(
          validOutput(exampleCreatedSchema, {
            ...example,
            ...(worded === undefined ? {} : { warning: worded.publicMessage }),
          }),
        );
    }
  });

  router.get('/v1/examples', async (request, response) => {
    const { questionId, limit, offset } = exampleListQuerySchema.parse(request.query);
    await grader.syncExamples();
    const examples = grader.examples.list(questionId);
    // Named by file, not by path: where the server keeps its files is not the caller's business.
    const badLines = grader.examples
      .badLines(questionId)
      .slice(0, MAX_BAD_LINES_LISTED)
      .map(({ path, lineNumber, problem }) => ({ file: basename(path), line: lineNumber, problem }));
    const page = { examples: examples.slice(offset, offset + limit), total: examples.length, limit, offset, badLines };
    response.json(validOutput(exampleListSchema, page));
  });

  router.get('/v1/examples/:id', async (request, response) => {
    await grader.syncExamples();
    const example = grader.examples.get(String(request.params.id));
    if (!example)
      // The error handler's hint for not_found: "GET /v1/examples lists the ids".
      throw new AnswerkeyError('not_found', `no graded example "${request.params.id}"`);
    response.json(validOutput(exampleSchema, example));
  });

  router.delete('/v1/examples/:id', ...writeGuards, async (request, response) => {
    const { removed, warning } = await grader.removeExample(String(request.params.id));
    if (warning) request.log.warn({ exampleId: removed.id }, rebuildWarningOf(warning).message);
    response.status(204).end();
  });
  router.all('/v1/examples', methodNotAllowed('GET', 'HEAD', 'POST'));
  router.all('/v1/examples/:id', methodNotAllowed('GET', 'HEAD', 'DELETE'));

  return router;
}
