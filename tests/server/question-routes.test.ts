import type { Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import type { Grader } from '../../src/app/grader.js';
import { questionRoutes } from '../../src/server/routes/question-routes.js';
import { problemFor } from '../../src/server/middleware/error-handler.js';

type Layer = { route?: { path: string; stack: { handle: RequestHandler }[] } };

/** The handler the question routes give `path`. */
function handlerOf(grader: Grader, path: string): RequestHandler {
  const layer = (questionRoutes(grader).stack as Layer[]).find((entry) => entry.route?.path === path);
  if (!layer?.route) throw new Error(`no route ${path}`);
  return layer.route.stack[0].handle;
}

describe('GET /v1/questions/:id', () => {
  it('fails an unknown id with question_not_found, the code the grading pipeline and the CLI use, answered as a 404', () => {
    const grader = { bank: { get: () => undefined } } as unknown as Grader;
    const handle = handlerOf(grader, '/v1/questions/:id');
    let thrown: unknown;
    try {
      handle({ params: { id: 'q99' } } as unknown as Request, {} as Response, () => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AnswerkeyError);
    expect((thrown as AnswerkeyError).code).toBe('question_not_found');
    expect(problemFor(thrown)).toMatchObject({
      status: 404,
      detail: 'no question "q99" in the bank (GET /v1/questions lists the ids)',
    });
  });
});
