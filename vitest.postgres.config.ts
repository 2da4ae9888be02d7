import { defineConfig } from 'vitest/config';

/**
 * `npm run test:postgres`: the tests that need a real PostgreSQL (tests-postgres/), apart from
 * `npm test`, which passes on a machine without one. ANSWERKEY_TEST_POSTGRES_URL names the server
 * (default postgres://postgres@127.0.0.1:5432/postgres); each test file gets a database of its own.
 */
export default defineConfig({
  test: {
    include: ['tests-postgres/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
