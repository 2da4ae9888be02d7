import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { createGrader, type Grader } from '../../src/grading/grader.js';
import { createApp } from '../../src/server/create-app.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import { launchChromium, watchProblems } from '../helpers/browser.js';

/** The page's bank search and its near misses, in a real browser against the real app. */

let indexDirectory: string;
let grader: Grader;
let browser: Browser;
let server: Server;
let url: string;

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

beforeAll(async () => {
  indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-page-lookup-index-'));
  grader = createGrader(resolveConfig({ indexDirectory, examplesDirectory: mkdtempSync(join(tmpdir(), 'answerkey-page-lookup-examples-')) }, {}));
  const { app } = createApp({ grader, config: resolveServerConfig({ port: 0 }, {}), logger: pino({ level: 'silent' }), version: 'test', ready: Promise.resolve() });
  url = await new Promise<string>((resolve, reject) => {
    server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  grader?.close();
  if (indexDirectory) rmSync(indexDirectory, { recursive: true, force: true });
});

async function openPage(): Promise<{ page: Page; problems: ReturnType<typeof watchProblems> }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await page.goto(`${url}/`);
  await poll(() => page.locator('#filter-status').textContent()).toBe('21 questions');
  return { page, problems };
}

const optionIds = (page: Page) => page.getByLabel('Bank question', { exact: true }).locator('option').evaluateAll((options) => options.map((option) => (option as { value: string }).value));

describe('the page: finding bank questions by meaning, and near misses as choices', { timeout: 30_000 }, () => {
  it('the bank search finds a question by meaning, as lookup does, not only by its literal words', async () => {
    const { page, problems } = await openPage();
    const search = page.getByLabel('Search the bank', { exact: true });
    await search.fill('circuit breaker flaky third party');
    await poll(() => optionIds(page)).toContain('q11');
    expect((await optionIds(page))[0]).toBe('q11');
    await poll(() => page.locator('#question-preview').textContent()).toContain('third-party API');

    await search.fill('dynamo vs postgres');
    await poll(() => optionIds(page).then((ids) => ids[0])).toBe('q13');

    // Words still work, and an exact id comes first.
    await search.fill('q1');
    expect((await optionIds(page))[0]).toBe('q1');
    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors).toEqual([]);
    await page.close();
  });

  it('offers the near misses of an unmatched question as buttons; one press chooses that bank question', async () => {
    const { page, problems } = await openPage();
    await page.getByLabel('My own question', { exact: true }).check();
    await page.getByLabel('Your question', { exact: true }).fill('hardest bug you debugged');
    await poll(() => page.locator('#lookup-status').textContent()).toContain('No match in the bank');
    const buttons = page.locator('#near-misses button');
    await poll(() => buttons.count()).toBe(3);
    expect(await buttons.first().textContent()).toMatch(/^Use q2\s*0\.\d\d/);
    await buttons.first().click();
    expect(await page.getByLabel('From the bank', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Bank question', { exact: true }).inputValue()).toBe('q2');
    await poll(() => page.locator('#question-preview').textContent()).toContain('debugging scenario');
    await poll(() => page.locator('#rubric').textContent()).toContain('memory');

    // A matched question shows no near misses.
    await page.getByLabel('My own question', { exact: true }).check();
    await page.getByLabel('Your question', { exact: true }).fill('dynamo vs postgres');
    await poll(() => page.locator('#lookup-status').textContent()).toMatch(/Matched q13/);
    expect(await page.locator('#near-misses').isHidden()).toBe(true);
    expect(problems.errors).toEqual([]);
    expect(problems.httpErrors).toEqual([]);
    await page.close();
  });
});
