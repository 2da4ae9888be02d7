import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** The Debian package's binary; playwright's own browser downloads do not work on the CI machines. */
export const CHROMIUM_PATH = process.env.ANSWERKEY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium. A missing browser is a failure, never a skip: the page's tests would
 * otherwise pass by not running.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (Debian), ' +
        'or point ANSWERKEY_CHROMIUM at a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface PageProblems {
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Console errors that are only the browser reporting an HTTP error status the page asked for. */
  httpErrors: string[];
}

/** Collects what would show up red in the developer tools. */
export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], httpErrors: [] };
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of \d{3}/.test(text))
      problems.httpErrors.push(text);
    else problems.errors.push(text);
  });
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  return problems;
}
