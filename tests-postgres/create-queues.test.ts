import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradeQueues } from '../src/batch/queue/enqueue-run.js';
import { GRADE_QUEUES } from '../src/batch/queue/queue-jobs.js';
import type { Database } from '../src/database/database.js';
import { openJobQueue, type JobQueue } from '../src/database/job-queue.js';
import { migrateDatabase } from '../src/database/migrations.js';
import { openDatabase } from '../src/database/open-database.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

const fresh = useFreshDatabase();
const ROUNDS = 8;

describe('two workers creating the grade queues at the same moment', () => {
  // Each its own pool, as two worker processes have.
  const databases: Database[] = [];
  const queues: JobQueue[] = [];
  beforeAll(async () => {
    await migrateDatabase(fresh.url);
    for (let index = 0; index < 2; index += 1) {
      const database = openDatabase(fresh.url);
      const queue = openJobQueue(database);
      await queue.start();
      databases.push(database);
      queues.push(queue);
    }
  });
  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.stop({ graceful: false, wait: true })));
    await Promise.all(databases.map((database) => database.close()));
  });

  it('both succeed, round after round (PostgreSQL breaks their deadlock by aborting one, which tries again)', async () => {
    const { name, deadLetter } = GRADE_QUEUES.local;
    for (let round = 0; round < ROUNDS; round += 1) {
      await queues[0].deleteQueue(name);
      await queues[0].deleteQueue(deadLetter);
      await Promise.all(queues.map((queue) => createGradeQueues(queue, ['local'])));
      expect((await queues[0].getQueue(name))?.deadLetter).toBe(deadLetter);
    }
  });
});
