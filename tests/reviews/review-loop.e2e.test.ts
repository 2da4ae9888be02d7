import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { createGrader } from '../../src/app/create-grader.js';
import type { AnswerkeyApp as Grader } from '../../src/app/grader.js';
import { REVIEW_LOG_FILE } from '../../src/reviews/review-log.js';
import { reviewRecordSchema } from '../../src/reviews/review-schema.js';
import { createApp } from '../../src/server/create-app.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import { launchChromium, watchProblems } from '../helpers/browser.js';

/** The review loop as an interviewer goes through it on the page, in real Chromium against the real app. */

const WEAK_ANSWER =
  'Eager mode runs each op immediately, so it is easy to debug; graph mode traces the function so TensorFlow can optimise it.';
const TOKEN = 'review-e2e-token-0123456789abcdef';

let indexDirectory: string;
let examplesDirectory: string;
let grader: Grader;
let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-review-index-'));
  examplesDirectory = mkdtempSync(join(tmpdir(), 'answerkey-review-examples-'));
  grader = createGrader(resolveConfig({ indexDirectory, examplesDirectory }, {}));
  const config = resolveServerConfig({ port: 0 }, { ANSWERKEY_API_KEYS: `alice=${TOKEN}:examples` });
  const { app } = createApp({
    grader,
    config,
    logger: pino({ level: 'silent' }),
    version: 'test',
    ready: Promise.resolve(),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  grader?.close();
  for (const directory of [indexDirectory, examplesDirectory])
    if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('the review loop on the page', { timeout: 60_000 }, () => {
  it("grades, takes the interviewer's own score and key points, stores them, logs who, and shows the next grade move", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 1400 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${url}/`);
    await page.getByLabel('API key', { exact: true }).fill(TOKEN);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByLabel('Search the bank', { exact: true }).fill('eager execution');
    await page.getByLabel('Bank question', { exact: true }).selectOption('q4');
    await page.getByLabel("Candidate's answer", { exact: true }).fill(WEAK_ANSWER);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    await page.getByRole('heading', { name: 'Your verdict' }).waitFor();

    // What the grader gave, as the API gives it for the same request (no examples yet).
    const graderScore = Number((await page.getByLabel('Your score').inputValue()).trim());
    const direct = await grader.grade({ questionId: 'q4', answer: WEAK_ANSWER });
    expect(graderScore).toBe(direct.score);
    expect(grader.examples.list('q4')).toEqual([]);

    // The interviewer is more generous, and says graph mode's tf.function is covered.
    const own = Math.min(5, Math.round(graderScore) + 2);
    await page.getByLabel('Your score').fill(String(own));
    const tfFunction = page.locator('select[data-kp-id="tf-function"]');
    const graderStatus = (await tfFunction.getAttribute('data-grader')) ?? '';
    await tfFunction.selectOption('covered');
    await page.getByLabel('Note').fill('names tf.function by what it does');
    await page.getByRole('button', { name: 'Save my verdict' }).click();

    const moved = page.getByTestId('review-moved');
    await moved.waitFor({ timeout: 20_000 });
    const text = (await moved.textContent()) ?? '';
    const [, now, was] = /now gives ([\d.]+) \/ 5 \(was ([\d.]+) \/ 5\)/.exec(text) ?? [];
    expect(was).toBe(direct.score.toFixed(1));
    expect(Number(now)).toBeGreaterThan(Number(was));

    // Stored as a graded example of q4, with the interviewer's score, statuses and note.
    const [example] = grader.examples.list('q4');
    expect(example).toMatchObject({
      questionId: 'q4',
      answer: WEAK_ANSWER,
      score: own,
      maxScore: 5,
      note: 'names tf.function by what it does',
    });
    expect(example.keyPoints?.find((point) => point.id === 'tf-function')?.status).toBe('covered');
    // The grader's next grade of the same answer uses it.
    const next = await grader.grade({ questionId: 'q4', answer: WEAK_ANSWER });
    expect(next.examples?.map((entry) => entry.id)).toContain(example.id);
    expect(next.score.toFixed(1)).toBe(now);

    // One review log line: who (the key's name), when, the grader's score against the interviewer's, what changed.
    const lines = readFileSync(join(examplesDirectory, REVIEW_LOG_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const review = reviewRecordSchema.parse(JSON.parse(lines[0]));
    expect(review).toMatchObject({
      who: 'alice',
      questionId: 'q4',
      gradeId: direct.id,
      graderScore: direct.score,
      reviewerScore: own,
      exampleId: example.id,
      accepted: false,
    });
    expect(review.keyPoints).toEqual(
      graderStatus === 'covered' ? [] : [{ id: 'tf-function', grader: graderStatus, reviewer: 'covered' }],
    );
    expect(Date.now() - Date.parse(review.at)).toBeLessThan(60_000);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
