import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from '../helpers/browser.js';
import { startTestServer } from '../helpers/test-server.js';

/** The page's bank search and its near misses, in a real browser against the real app. */

let browser: Browser;
let server: Awaited<ReturnType<typeof startTestServer>>;
let url: string;

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  server?.grader.close();
});

async function openPage(): Promise<{ page: Page; problems: ReturnType<typeof watchProblems> }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await page.goto(`${url}/`);
  await poll(() => page.locator('#filter-status').textContent()).toBe('21 questions');
  return { page, problems };
}

const optionIds = (page: Page) =>
  page
    .getByLabel('Bank question', { exact: true })
    .locator('option')
    .evaluateAll((options) => options.map((option) => (option as { value: string }).value));

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
