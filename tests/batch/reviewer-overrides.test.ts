import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOverridesCsv } from '../../src/batch/input/reviewer-overrides.js';
import type { BatchRunResult } from '../../src/batch/run/run-batch.js';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { launchChromium, watchProblems } from '../helpers/browser.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { type BatchOptions, runQuietBatch } from './batch-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-overrides-'));
const { grader } = createTestGrader();
const folder = join(scratch, 'take-homes');
const out = join(scratch, 'out');
let first: BatchRunResult;
let browser: Browser;
/** Screenshots go to the scratch folder; ANSWERKEY_SCREENSHOT_DIR=docs regenerates the README's. */
const screenshots = process.env.ANSWERKEY_SCREENSHOT_DIR
  ? join(PACKAGE_ROOT, process.env.ANSWERKEY_SCREENSHOT_DIR)
  : scratch;

const run = (extra: Partial<BatchOptions> = {}) =>
  runQuietBatch({
    inputPath: folder,
    outDirectory: out,
    grader,
    ...extra,
  });

beforeAll(async () => {
  mkdirSync(folder);
  for (const name of ['amara-okafor.md', 'ben-hartley.md', 'chen-wei.txt', 'dana-kowalski.md', 'emre-yilmaz.md']) {
    copyFileSync(join(PACKAGE_ROOT, 'examples', 'take-homes', name), join(folder, name));
  }
  // Gus pasted Chen's Q10 with a word changed; Hal pasted the answer key.
  const chen = readFileSync(join(folder, 'chen-wei.txt'), 'utf8');
  const chenQ10 = chen
    .slice(chen.indexOf('Q10.'), chen.indexOf('Q11.'))
    .replace('Q10.', '')
    .replace('nouns', 'plural nouns');
  writeFileSync(join(folder, 'gus.md'), `## Q10\n${chenQ10}\n## Q3\nWe use pytest and black.\n`);
  writeFileSync(
    join(folder, 'hal.md'),
    ['q3', 'q10', 'q11', 'q16']
      .map((id) => `## ${id.toUpperCase()}\n${grader.bank.get(id)!.referenceAnswer}\n`)
      .join('\n'),
  );
  first = await run();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  grader.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("reviewers' overrides", () => {
  it('reads overrides.csv as the report writes it, and refuses a bad row naming its line', () => {
    const path = join(scratch, 'bad.csv');
    writeFileSync(path, 'candidate_id,question_id,score,note\nben-hartley,q3,4,fine\nchen-wei,q10,lots,\n');
    expect(() => readOverridesCsv(path)).toThrow(/bad\.csv:3: score must be a number/);
  });

  it('applies them: the ranking follows the reviewer, the answers are marked reviewed, and --learn stores them as graded examples', async () => {
    const benBefore = first.summary.candidates.find((candidate) => candidate.candidateId === 'ben-hartley')!;
    const hal = first.summary.candidates.find((candidate) => candidate.candidateId === 'hal')!;
    expect(hal.rank).toBe(1);
    const overrides = join(scratch, 'overrides.csv');
    writeFileSync(
      overrides,
      'candidate_id,question_id,score,note\nben-hartley,q3,5,"solid, pragmatic"\nben-hartley,q10,5,\nben-hartley,q11,5,\nhal,q10,0,pasted the answer key\n',
    );
    const result = await run({
      overrides: { source: 'overrides.csv', inputs: readOverridesCsv(overrides) },
      learn: true,
    });
    expect(result.overrides).toMatchObject({ applied: 4, learned: 4 });
    const ben = result.summary.candidates.find((candidate) => candidate.candidateId === 'ben-hartley')!;
    expect(ben.total).toBeGreaterThan(benBefore.total);
    expect(ben.rank).toBeLessThan(benBefore.rank);
    expect(ben.answers.get('q3')!.reviewed).toMatchObject({
      graderScore: benBefore.answers.get('q3')!.score,
      note: 'solid, pragmatic',
    });
    const csv = readFileSync(join(out, 'candidates.csv'), 'utf8');
    expect(csv).toMatch(/ben-hartley,5,5,5,.*q3: reviewed \(grader [\d.]+\)/);
    // A reviewed answer is decided: not listed to review any more.
    expect(result.summary.reviews.some(({ row }) => row.candidateId === 'hal' && row.questionKey === 'q10')).toBe(
      false,
    );
    const examples = await grader.examples.list();
    expect(examples.filter((example) => example.questionId === 'q3').map((example) => example.score)).toEqual([5]);
    // A later run without --overrides keeps them.
    const again = await run();
    expect(again.summary.candidates.find((candidate) => candidate.candidateId === 'ben-hartley')!.total).toBe(
      ben.total,
    );
  });

  it('shows groups, copies and overrides in Chromium, and downloads the scores a reviewer changed as overrides.csv', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const problems = watchProblems(page);
    await page.goto(`file://${join(out, 'report.html')}`);
    await expect.poll(() => page.locator('#similar .similar-group').count()).toBe(1);
    const group = page.locator('#similar .similar-group');
    expect(await group.locator('.members li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('chen-wei'), expect.stringContaining('gus')]),
    );
    expect(await group.locator('blockquote').first().textContent()).toMatch(/Resource-oriented URLs/);
    expect(await page.locator('#similar .copies li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hal, q3: /)]),
    );
    expect(await page.locator('#ranking-table tr[data-candidate="ben-hartley"] .pill').allTextContents()).toEqual([
      '5.0 ✔',
      '5.0 ✔',
      '5.0 ✔',
    ]);
    expect(await page.locator('#similar .copies').textContent()).toMatch(
      /hal, q10: 0\.0 \/ 5 \(reviewed; the grader gave \d\.\d\)/,
    );
    await page.locator('#ranking').screenshot({ path: join(screenshots, 'report-ranking-reviewed.png') });
    await page.locator('#similar').screenshot({ path: join(screenshots, 'report-similar-answers.png') });
    const ben = page.locator('details.candidate[data-candidate="ben-hartley"]');
    await ben.locator(':scope > summary').click();
    expect(await ben.locator('.chip.reviewed').count()).toBe(3);
    const emre = page.locator('details.candidate[data-candidate="emre-yilmaz"]');
    await emre.locator(':scope > summary').click();
    await emre.locator('input.override-score[data-question="q10"]').fill('0.5');
    await emre.locator('input.override-note[data-question="q10"]').fill('keywords, no design');
    expect(await page.locator('#override-count').textContent()).toBe('1');
    await emre
      .locator('article.answer')
      .nth(1)
      .screenshot({ path: join(screenshots, 'report-override.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-overrides').click()]);
    expect(download.suggestedFilename()).toBe('overrides.csv');
    const saved = join(scratch, 'downloaded.csv');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(
      'candidate_id,question_id,score,note\r\nemre-yilmaz,q10,0.5,"keywords, no design"\r\n',
    );
    expect(readOverridesCsv(saved)).toEqual([
      { candidateId: 'emre-yilmaz', questionKey: 'q10', score: 0.5, note: 'keywords, no design', line: 2 },
    ]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
