import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupResponseSchema } from '../../src/server/api-schemas.js';
import { rubricSchema } from '../../src/rubrics/rubric-schema.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { runCliForTest as run } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const QUESTION = 'how would you stop a keras model from overfitting';

describe('lookup: one shape for GET /v1/lookup and `answerkey lookup --json`', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('gives the same matched id, threshold and matches; the command line adds the rubric and the grade', async () => {
    const api = lookupResponseSchema.parse(
      await (await server.get(`/v1/lookup?q=${encodeURIComponent(QUESTION)}`)).json(),
    );
    const { indexDirectory, examplesDirectory } = server.grader.config;
    const cli = await run([
      'lookup',
      QUESTION,
      '--json',
      '--index-dir',
      indexDirectory,
      '--examples-dir',
      examplesDirectory,
      '--mode',
      'local',
    ]);
    expect(cli.code).toBe(0);
    const printed = JSON.parse(cli.out) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(['grade', 'matched', 'matches', 'rubric', 'threshold']);
    expect(lookupResponseSchema.parse(printed)).toEqual(api);
    expect(api.matched).toBe('q5');
    expect(rubricSchema.parse(printed.rubric).id).toBe('q5');
    expect(printed.grade).toBeNull();

    const graded = JSON.parse(
      (
        await run([
          'lookup',
          QUESTION,
          '--answer',
          'Dropout and early stopping.',
          '--json',
          '--index-dir',
          indexDirectory,
          '--mode',
          'local',
        ])
      ).out,
    ) as Record<string, unknown>;
    expect(gradeSchema.parse(graded.grade).questionId).toBe('q5');
  });
});
