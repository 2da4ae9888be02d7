import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { BANDS, gradeSchema } from '../../src/grading/grade-schema.js';
import { createGrader } from '../../src/app/create-grader.js';
import type { AnswerkeyApp as Grader } from '../../src/app/grader.js';
import { exampleSchema } from '../../src/server/api-schemas.js';
import { createApp } from '../../src/server/create-app.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import { launchChromium, watchProblems, type PageProblems } from '../helpers/browser.js';

/** The page served at / driven in a real browser against the real app, as an interviewer would use it. */

const STRONG_ANSWER =
  'Eager execution is the default in TensorFlow 2: every operation runs immediately when Python reaches it, ' +
  'so I can print tensors and step through the code with pdb while I prototype in a notebook. ' +
  'Graph execution first traces the Python function into a computational graph, which TensorFlow can optimise ' +
  '(Grappler, XLA) before running it. So I develop and debug eagerly, then wrap the training step and the serving ' +
  'function with the tf.function decorator. For production the graph is faster and is exported as a SavedModel for ' +
  'TensorFlow Serving, without needing the Python interpreter.';

const API_KEY = 'page-test-key-0123456789abcdef';

let indexDirectory: string;
let examplesDirectory: string;
let grader: Grader;
let browser: Browser;
let context: BrowserContext;
const servers: Server[] = [];
let openUrl: string;
let keyedUrl: string;

function listen(app: Express): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) return reject(error);
      servers.push(server);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Waits for what the page shows; generous, since the first lookup builds the index and CI machines are busy. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

/** A fresh tab (its own sessionStorage) in the one browser context the tests share. */
async function openPage(url: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${url}/`);
  return { page, problems };
}

async function activeElementId(page: Page): Promise<string> {
  return page.evaluate(
    () => (globalThis as { document?: { activeElement?: { id?: string } | null } }).document?.activeElement?.id ?? '',
  );
}

const OVERFITTING_ANSWER =
  "I'd first check it is overfitting by plotting the Keras history: training loss keeps falling while validation loss climbs. " +
  'Then I add Dropout layers and L2 weight decay, an EarlyStopping callback on val_loss, and augment the training data.';

async function chooseQ5(page: Page) {
  await page.getByLabel('Search the bank', { exact: true }).fill('overfitting');
  await page.getByLabel('Bank question', { exact: true }).selectOption('q5');
  await poll(() => page.locator('#question-preview').textContent()).toContain('overfitting');
}

async function chooseQ4(page: Page) {
  await page.getByLabel('Search the bank', { exact: true }).fill('eager execution');
  await page.getByLabel('Bank question', { exact: true }).selectOption('q4');
  await poll(() => page.locator('#question-preview').textContent()).toContain('eager execution and graph execution');
}

beforeAll(async () => {
  indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-page-index-'));
  // Examples added here must not land in the shipped bank's examples folder.
  examplesDirectory = mkdtempSync(join(tmpdir(), 'answerkey-page-examples-'));
  grader = createGrader(resolveConfig({ indexDirectory, examplesDirectory }, {}));
  const logger = pino({ level: 'silent' });
  const open = createApp({
    grader,
    config: resolveServerConfig({ port: 0 }, {}),
    logger,
    version: 'test',
    ready: Promise.resolve(),
  });
  const keyed = createApp({
    grader,
    config: resolveServerConfig({ port: 0 }, { ANSWERKEY_API_KEYS: API_KEY }),
    logger,
    version: 'test',
    ready: Promise.resolve(),
  });
  [openUrl, keyedUrl] = await Promise.all([listen(open.app), listen(keyed.app)]);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
  grader?.close();
  if (indexDirectory) rmSync(indexDirectory, { recursive: true, force: true });
  if (examplesDirectory) rmSync(examplesDirectory, { recursive: true, force: true });
});

describe('the second-opinion page', { timeout: 30_000 }, () => {
  it('grades a strong answer to q4 chosen from the bank and shows the score, key points, evidence and rationale', async () => {
    const { page, problems } = await openPage(openUrl);
    await chooseQ4(page);
    // The rubric is on screen before grading, for the interviewer to read along.
    await poll(() => page.locator('#rubric').textContent()).toContain('Eager execution runs operations immediately');

    await page.getByLabel("Candidate's answer", { exact: true }).fill(STRONG_ANSWER);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();

    const score = page.getByTestId('score');
    await score.waitFor();
    expect(await score.textContent()).toMatch(/^\d+\.\d \/ 5$/);
    const band = (await page.getByTestId('band').textContent()) ?? '';
    expect(BANDS).toContain(band);
    expect(['excellent', 'good']).toContain(band);
    expect(await page.getByRole('meter', { name: 'Score' }).getAttribute('aria-valuetext')).toContain(band);
    expect(await page.getByTestId('confidence').textContent()).toMatch(/^0\.\d\d · (high|moderate|low)$/);
    expect(await page.getByTestId('rationale').textContent()).toMatch(/^An? \w+ answer: it makes \d of 5 key points/);

    // Status in words and an icon, not colour alone; evidence quoted from the answer.
    const covered = page.locator('li.kp[data-status="covered"]');
    expect(await covered.count()).toBeGreaterThan(0);
    const firstCovered = covered.first();
    expect(await firstCovered.locator('.kp-status').textContent()).toContain('Covered');
    const quote = ((await firstCovered.locator('blockquote.evidence').textContent()) ?? '').replace(/^“|”.*$/gs, '');
    expect(quote.length).toBeGreaterThan(3);
    expect(STRONG_ANSWER).toContain(quote);

    // Every highlight is a piece of the pasted answer; the view reads back as the answer itself.
    const highlighted = page.getByTestId('highlighted-answer');
    expect(await highlighted.textContent()).toBe(STRONG_ANSWER);
    const marks = await highlighted.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(STRONG_ANSWER).toContain(mark);

    // Focusing a key point lights up its words, and only while it has focus.
    await firstCovered.focus();
    expect(await highlighted.locator('mark.is-active').count()).toBeGreaterThan(0);
    const activeText = (await highlighted.locator('mark.is-active').allTextContents()).join('');
    expect(quote).toContain(activeText.slice(0, 10));
    await page.getByLabel("Candidate's answer", { exact: true }).focus();
    expect(await highlighted.locator('mark.is-active').count()).toBe(0);

    expect(await page.getByRole('status').textContent()).toMatch(/^Graded: \d+\.\d out of 5/);
    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors).toEqual([]);
    await page.close();
  });

  it('lists the wrong claims of a confidently wrong answer, each with its quote from the answer', async () => {
    const { page, problems } = await openPage(openUrl);
    await chooseQ4(page);
    const swapped =
      'Graph execution runs operations immediately, which makes debugging easy. Eager execution first builds a computational graph which TensorFlow optimizes.';
    await page.getByLabel("Candidate's answer", { exact: true }).fill(swapped);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    const claims = page.getByTestId('wrong-claims');
    await claims.waitFor();
    const items = claims.locator('li.claim');
    expect(await items.count()).toBeGreaterThanOrEqual(2);
    expect(await items.first().locator('.claim-kind').textContent()).toContain('Swapped roles');
    for (const quote of await items.locator('blockquote.evidence').allTextContents())
      expect(swapped).toContain(quote.replace(/^“|”$/g, ''));
    expect(await page.locator('li.flag[data-flag="contradicts_reference"]').count()).toBe(1);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('lists the graded examples that weighed in, with id, score and share, and opens one to read its answer', async () => {
    const { page, problems } = await openPage(openUrl);
    await chooseQ5(page);
    const answerField = page.getByLabel("Candidate's answer", { exact: true });
    await answerField.fill(OVERFITTING_ANSWER.replace('I add', 'I would add'));
    const gradeButton = page.getByRole('button', { name: 'Grade', exact: true });
    await gradeButton.click();
    await page.getByTestId('score').waitFor();
    const examples = page.getByRole('list', { name: /^Graded examples that weighed in/ });
    expect(await examples.count()).toBe(0);

    const note = 'Names the <b>techniques</b> but never says why each one helps';
    const created = await fetch(`${openUrl}/v1/examples`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ questionId: 'q5', answer: OVERFITTING_ANSWER, score: 1, note }),
    });
    expect(created.status).toBe(201);
    const example = exampleSchema.parse(await created.json());
    try {
      // The same grade through the API, to know the share the page should show.
      const graded = await fetch(`${openUrl}/v1/grade`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ questionId: 'q5', answer: await answerField.inputValue() }),
      });
      const expected = gradeSchema.parse(await graded.json()).examples ?? [];
      expect(expected.map((entry) => entry.id)).toEqual([example.id]);
      expect(expected[0].weight).toBeGreaterThan(0.3);

      await gradeButton.click();
      await poll(() => examples.count()).toBe(1);
      const items = examples.getByRole('listitem');
      expect(await items.count()).toBe(1);
      const summary = items.first().locator('summary');
      expect(await summary.textContent()).toBe(
        `${example.id}, graded 1.0 / 5, ${Math.round(expected[0].weight * 100)}% of the score`,
      );

      // Opened from the keyboard, it shows the example's answer and note as text.
      await summary.focus();
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('example-answer').textContent()).toBe(OVERFITTING_ANSWER);
      expect(await items.first().locator('.example-note').textContent()).toBe(`Note: ${note}`);
      expect(await items.first().locator('b').count()).toBe(0);

      expect(problems.errors).toEqual([]);
      expect(problems.httpErrors).toEqual([]);
    } finally {
      await fetch(`${openUrl}/v1/examples/${example.id}`, { method: 'DELETE' });
      await page.close();
    }
  });

  it('shows request errors in an alert, in words, never as a raw dump', async () => {
    const { page, problems } = await openPage(openUrl);
    await chooseQ4(page);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Nothing to grade: said on the page, the field marked invalid and focused.
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Paste the candidate’s answer first');
    expect(await page.getByLabel("Candidate's answer", { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await activeElementId(page)).toBe('answer');

    // An error from the API: a typed question the bank does not hold, and no reference answer.
    await page.getByLabel('My own question', { exact: true }).check();
    await page.getByLabel('Your question', { exact: true }).fill('What is a stack in computer science?');
    await poll(() => page.locator('#lookup-status').textContent()).toContain('No match in the bank');
    await page
      .getByLabel("Candidate's answer", { exact: true })
      .fill('A stack is last in, first out: you pop what you pushed last.');
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    await poll(() => alert.textContent()).toContain('no matching question in the bank');
    const text = (await alert.textContent()) ?? '';
    expect(text).not.toMatch(/[{}"]|problem\+json|"status"/);
    expect(text).toMatch(/Request id [\w-]+/);
    expect(await page.getByText('Choose a question, paste the candidate').count()).toBe(1); // no stale grade shown

    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors.every((message) => message.includes('status of 404'))).toBe(true);
    await page.close();
  });

  it('grades a typed question: matched to the bank without a reference, ad hoc with one', async () => {
    const { page, problems } = await openPage(openUrl);
    await page.getByLabel('My own question', { exact: true }).check();
    await page
      .getByLabel('Your question', { exact: true })
      .fill(
        'In TensorFlow, how does eager mode differ from graph mode, and which would you use when shipping a model?',
      );
    await poll(() => page.locator('#lookup-status').textContent()).toMatch(/Matched q4 \(0\.\d\d\)/);
    await page.getByLabel("Candidate's answer", { exact: true }).fill(STRONG_ANSWER);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    await page.getByTestId('score').waitFor();
    expect(await page.locator('.facts').textContent()).toMatch(/q4, matched your question at 0\.\d\d/);

    // Ad hoc: a question outside the bank with its reference answer inline.
    const answer =
      'A stack is LIFO: you push onto the top and pop what you pushed last, which is how function calls are tracked.';
    await page.getByLabel('Your question', { exact: true }).fill('What is a stack in computer science?');
    await page
      .getByLabel('Reference answer optional', { exact: true })
      .fill(
        'A stack is a last-in, first-out collection: push adds an element on top, pop removes the most recently added element. Call stacks track function calls.',
      );
    await page.getByLabel("Candidate's answer", { exact: true }).fill(answer);
    await poll(() => page.locator('.stale-note').count()).toBe(1);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    await poll(() => page.locator('.facts').textContent()).toContain('your reference answer (ad hoc)');
    expect(await page.locator('.stale-note').count()).toBe(0);
    expect(await page.getByTestId('score').textContent()).toMatch(/^\d+\.\d \/ 5$/);
    expect(await page.locator('li.kp').count()).toBeGreaterThan(0);
    for (const mark of await page.getByTestId('highlighted-answer').locator('mark').allTextContents())
      expect(answer).toContain(mark);
    expect(await page.locator('#rubric').textContent()).toContain('Ad hoc');
    // Without a question text, the reference column shows the reference alone (no stray "null").
    await page.getByLabel('Your question', { exact: true }).fill('');
    await poll(() => page.locator('#rubric .rubric-question').count()).toBe(0);
    expect(await page.locator('#rubric').textContent()).toContain('Reference answer');
    expect(await page.locator('#rubric').textContent()).not.toContain('null');

    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors).toEqual([]);
    await page.close();
  });

  it('works from the keyboard alone: search, choose, type, Tab to Grade, Enter; Ctrl+Enter regrades', async () => {
    const { page, problems } = await openPage(openUrl);
    for (let presses = 0; presses < 8 && (await activeElementId(page)) !== 'question-filter'; presses += 1)
      await page.keyboard.press('Tab');
    expect(await activeElementId(page)).toBe('question-filter');
    await page.keyboard.type('q4');
    await page.keyboard.press('Enter');
    expect(await activeElementId(page)).toBe('question-select');
    expect(await page.getByLabel('Bank question', { exact: true }).inputValue()).toBe('q4');
    await page.keyboard.press('Tab');
    expect(await activeElementId(page)).toBe('answer');
    await page.keyboard.insertText('Eager execution runs each op immediately, which makes debugging easy.');
    await page.keyboard.press('Tab');
    expect(await activeElementId(page)).toBe('grade-button');
    await page.keyboard.press('Enter');
    const score = page.getByTestId('score');
    await score.waitFor();
    const first = await score.textContent();

    await page.getByLabel("Candidate's answer", { exact: true }).focus();
    await page.keyboard.press('End');
    await page.keyboard.insertText(' ' + STRONG_ANSWER);
    await page.keyboard.press('Control+Enter');
    await poll(() => score.textContent()).not.toBe(first);
    expect(await page.locator('.stale-note').count()).toBe(0);

    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors).toEqual([]);
    await page.close();
  });

  it('asks for an API key when the server wants one, keeps it for the tab and sends it', async () => {
    const { page, problems } = await openPage(keyedUrl);
    const heading = page.getByRole('heading', { name: 'This server needs an API key' });
    await heading.waitFor();
    expect(await activeElementId(page)).toBe('api-key');

    await page.getByLabel('API key', { exact: true }).fill('not-the-right-key-at-all');
    await page.getByRole('button', { name: 'Use key' }).click();
    await poll(() => page.locator('#auth-error').textContent()).toContain('the API key is not valid');

    await page.getByLabel('API key', { exact: true }).fill(API_KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await heading.waitFor({ state: 'hidden' });
    await poll(() => page.locator('#filter-status').textContent()).toBe('21 questions');
    const stored = await page.evaluate(
      () =>
        (globalThis as { sessionStorage?: { getItem(key: string): string | null } }).sessionStorage?.getItem(
          'answerkey.apiKey',
        ) ?? null,
    );
    expect(stored).toBe(API_KEY);

    await page.reload();
    await poll(() => page.locator('#filter-status').textContent()).toBe('21 questions');
    expect(await heading.isVisible()).toBe(false);
    await chooseQ4(page);
    await page.getByLabel("Candidate's answer", { exact: true }).fill(STRONG_ANSWER);
    await page.getByRole('button', { name: 'Grade', exact: true }).click();
    await page.getByTestId('score').waitFor();

    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors.every((message) => message.includes('status of 401'))).toBe(true);
    await page.close();
  });
});
