import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { REVIEW_LOG_FILE, createReviewLog } from '../../src/reviews/review-log.js';
import { reviewCreatedSchema } from '../../src/server/api-schemas.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ANSWER =
  'Eager mode runs each op immediately, so it is easy to debug; graph mode traces the function so TensorFlow can optimise it.\n';
const REVIEWER = 'reviewer-token-0123456789abcdef';
const GRADER_ONLY = 'grading-token-0123456789abcdef';

async function gradeOf(server: TestServer, answer: string, headers: Record<string, string> = {}) {
  return gradeSchema.parse(await (await server.post('/v1/grade', { questionId: 'q4', answer }, headers)).json());
}

describe('POST /v1/grades/{id}/review without keys', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(async () => {
    await server.close();
    server.grader.close();
  });

  it('gives every grade an id of what was graded: the same answer to the same question, the same id', async () => {
    const [first, again, other] = [
      await gradeOf(server, ANSWER),
      await gradeOf(server, ANSWER),
      await gradeOf(server, `${ANSWER} More.`),
    ];
    expect(first.id).toMatch(/^g-[0-9a-f]{16}$/);
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('accepts a grade: the grader\'s own score, regraded, becomes the example, and the log says "local"', async () => {
    const grade = await gradeOf(server, ANSWER);
    const response = await server.post(`/v1/grades/${grade.id}/review`, {
      questionId: 'q4',
      answer: ANSWER,
      accept: true,
    });
    expect(response.status).toBe(201);
    const body = reviewCreatedSchema.parse(await response.json());
    expect(response.headers.get('location')).toBe(`/v1/examples/${body.example.id}`);
    expect(body.before.score).toBe(grade.score);
    expect(body.review).toMatchObject({
      gradeId: grade.id,
      who: 'local',
      accepted: true,
      graderScore: grade.score,
      reviewerScore: grade.score,
      keyPoints: [],
    });
    expect(body.example).toMatchObject({ questionId: 'q4', answer: ANSWER.trim(), score: grade.score });
    expect(body.after.examples?.map((example) => example.id)).toContain(body.example.id);
    expect((await createReviewLog(server.grader.config.examplesDirectory).list()).map((review) => review.id)).toContain(
      body.review.id,
    );
  });

  it('refuses a review whose answer is not the one the grade id names, and keeps nothing of it', async () => {
    const grade = await gradeOf(server, ANSWER);
    const before = server.grader.examples.list('q4').length;
    const response = await server.post(`/v1/grades/${grade.id}/review`, {
      questionId: 'q4',
      answer: `${ANSWER} Edited.`,
      score: 5,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      `grade ${grade.id} is not a grade of this answer to q4`,
    );
    expect(server.grader.examples.list('q4')).toHaveLength(before);
  });

  it.each([
    [
      'both accept and a score',
      { accept: true, score: 3 },
      'score: give either accept: true or your own score, not both',
    ],
    ['neither', {}, 'score: give either accept: true or your own score, not both'],
    ['a score above the maximum', { score: 6 }, 'score: 6 is above the maximum 5'],
    [
      'an unknown key point',
      { score: 3, keyPoints: [{ id: 'nonsense', status: 'covered' }] },
      '"nonsense" is not a key point of q4',
    ],
    [
      'a status that is not one',
      { score: 3, keyPoints: [{ id: 'tf-function', status: 'great' }] },
      'keyPoints[0].status',
    ],
  ])('answers 400 for %s', async (_name, verdict, detail) => {
    const grade = await gradeOf(server, ANSWER);
    const response = await server.post(`/v1/grades/${grade.id}/review`, {
      questionId: 'q4',
      answer: ANSWER,
      ...verdict,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain(detail);
  });

  it('answers 404 for a question the bank does not hold', async () => {
    const response = await server.post('/v1/grades/g-0000000000000000/review', {
      questionId: 'q99',
      answer: ANSWER,
      score: 1,
    });
    expect(response.status).toBe(404);
  });

  it('starts its line on a line of its own after a log line cut short, and lists only whole lines', async () => {
    const path = join(server.grader.config.examplesDirectory, REVIEW_LOG_FILE);
    appendFileSync(path, '{"id":"rv-cut');
    const grade = await gradeOf(server, ANSWER);
    const response = await server.post(`/v1/grades/${grade.id}/review`, {
      questionId: 'q4',
      answer: ANSWER,
      score: 1,
      note: 'after the cut',
    });
    expect(response.status).toBe(201);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.at(-3)).toBe('{"id":"rv-cut');
    expect(JSON.parse(lines.at(-2) ?? '')).toMatchObject({ note: 'after the cut' });
    expect((await createReviewLog(server.grader.config.examplesDirectory).list()).at(-1)?.note).toBe('after the cut');
  });
});

describe('POST /v1/grades/{id}/review with keys', () => {
  let server: TestServer;
  beforeAll(
    async () => (server = await startTestServer({ ANSWERKEY_API_KEYS: `alice=${REVIEWER}:examples,${GRADER_ONLY}` })),
  );
  afterAll(async () => {
    await server.close();
    server.grader.close();
  });

  it("needs the examples scope, and logs the key's name as who reviewed", async () => {
    const grade = await gradeOf(server, ANSWER, { authorization: `Bearer ${GRADER_ONLY}` });
    const verdict = {
      questionId: 'q4',
      answer: ANSWER,
      score: 4,
      keyPoints: [{ id: 'tf-function', status: 'covered' }],
      note: 'good enough',
    };
    const refused = await server.post(`/v1/grades/${grade.id}/review`, verdict, {
      authorization: `Bearer ${GRADER_ONLY}`,
    });
    expect(refused.status).toBe(403);
    expect(server.grader.examples.list('q4')).toEqual([]);
    const response = await server.post(`/v1/grades/${grade.id}/review`, verdict, {
      authorization: `Bearer ${REVIEWER}`,
    });
    expect(response.status).toBe(201);
    const { review, example } = reviewCreatedSchema.parse(await response.json());
    const graderStatus = grade.keyPoints.find((point) => point.id === 'tf-function')?.status;
    expect(review).toMatchObject({
      who: 'alice',
      reviewerScore: 4,
      graderScore: grade.score,
      note: 'good enough',
      accepted: false,
    });
    expect(review.keyPoints).toEqual(
      graderStatus === 'covered' ? [] : [{ id: 'tf-function', grader: graderStatus, reviewer: 'covered' }],
    );
    expect(example.keyPoints).toHaveLength(grade.keyPoints.length);
  });
});
