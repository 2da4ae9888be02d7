import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleStore, type FileExampleStore } from '../../src/examples/example-store.js';
import { createReviewLog, type FileReviewLog } from '../../src/reviews/review-log.js';
import { contractBank, exampleStoreContract } from '../helpers/example-store-contract.js';
import { reviewLogContract } from '../helpers/review-log-contract.js';

/** The file store and log against the contracts tests-postgres/ runs for PostgreSQL. */
exampleStoreContract('files', {
  fresh: async () =>
    createExampleStore({ directory: join(mkdtempSync(join(tmpdir(), 'answerkey-contract-')), 'examples'), bank: contractBank }),
  another: async (store) => createExampleStore({ directory: (store as FileExampleStore).directory, bank: contractBank }),
  // Each read looks at the files again.
  sync: async () => undefined,
});

reviewLogContract('a file', {
  fresh: async () => createReviewLog(join(mkdtempSync(join(tmpdir(), 'answerkey-contract-')), 'examples')),
  another: async (log) => createReviewLog(join((log as FileReviewLog).path, '..')),
});
