import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { REVIEW_LOG_FILE } from '../../src/reviews/review-log.js';
import { reviewRecordSchema } from '../../src/reviews/review-schema.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Reviews from the page (through the API) and from `answerkey review` at the same time: none is lost. */

isolateSettings();

const MAIN = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
const API_REVIEWS = 10;
const CLI_REVIEWS = 5;
const answerOf = (source: string, index: number) =>
  `Eager mode (${source} ${index}) runs each op at once so I can debug; graph mode traces the function with tf.function for speed.`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
  server?.grader.close();
});

function reviewFromCli(
  index: number,
  examplesDirectory: string,
  indexDirectory: string,
): Promise<{ code: number | null; err: string }> {
  const args = [
    MAIN,
    'review',
    '-i',
    'q4',
    '--score',
    String(index % 6),
    '--note',
    `cli ${index}`,
    '--answer',
    answerOf('cli', index),
  ];
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...args, '--examples-dir', examplesDirectory, '--index-dir', indexDirectory],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => resolve({ code, err }));
  });
}

async function reviewFromApi(index: number): Promise<number> {
  const answer = answerOf('api', index);
  const grade = (await (await server.post('/v1/grade', { questionId: 'q4', answer })).json()) as { id: string };
  const response = await server.post(`/v1/grades/${grade.id}/review`, {
    questionId: 'q4',
    answer,
    score: index % 6,
    note: `api ${index}`,
  });
  return response.status;
}

describe('concurrent reviews', { timeout: 120_000 }, () => {
  it(`keeps all ${API_REVIEWS} reviews through the API and ${CLI_REVIEWS} from the command line, made at once, as examples and log lines`, async () => {
    const { examplesDirectory, indexDirectory } = server.grader.config;
    const [statuses, runs] = await Promise.all([
      Promise.all(Array.from({ length: API_REVIEWS }, (_, index) => reviewFromApi(index))),
      Promise.all(
        Array.from({ length: CLI_REVIEWS }, (_, index) => reviewFromCli(index, examplesDirectory, indexDirectory)),
      ),
    ]);
    expect(statuses).toEqual(Array.from({ length: API_REVIEWS }, () => 201));
    // Notices (an index rebuilt) may go to standard error; a failure would say why there.
    expect(
      runs.map((run) => run.code),
      runs.map((run) => run.err).join(''),
    ).toEqual(runs.map(() => 0));

    const notes = server.grader.examples
      .list('q4')
      .map((example) => example.note)
      .sort();
    const expected = [
      ...Array.from({ length: API_REVIEWS }, (_, index) => `api ${index}`),
      ...Array.from({ length: CLI_REVIEWS }, (_, index) => `cli ${index}`),
    ].sort();
    expect(notes).toEqual(expected);

    const lines = readFileSync(join(examplesDirectory, REVIEW_LOG_FILE), 'utf8').split('\n').filter(Boolean);
    const reviews = lines.map((line) => reviewRecordSchema.parse(JSON.parse(line)));
    expect(reviews.map((review) => review.note).sort()).toEqual(expected);
    expect(new Set(reviews.map((review) => review.exampleId))).toEqual(
      new Set(server.grader.examples.list('q4').map((example) => example.id)),
    );
    expect(new Set(reviews.map((review) => review.who))).toEqual(new Set(['local']));
  });
});
