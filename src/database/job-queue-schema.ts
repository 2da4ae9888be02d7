import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { Database } from './database.js';

/** The schema version of the job queue (pg-boss) this install works with. */
export const JOB_QUEUE_SCHEMA_VERSION: number = (
  createRequire(import.meta.url)('pg-boss/version.json') as { schema: number }
).schema;

/** pg-boss on the database's own pool, doing nothing in the background. */
function jobQueueOn(database: Database, migrate: boolean): PgBoss {
  return new PgBoss({
    db: { executeSql: (text, values) => database.query(text, values) },
    migrate,
    supervise: false,
    schedule: false,
  });
}

/** The job queue's schema version in the database, or null when it has none yet. */
export async function jobQueueSchemaVersion(database: Database): Promise<number | null> {
  const boss = jobQueueOn(database, false);
  if (!(await boss.isInstalled())) return null;
  return Number(await boss.schemaVersion());
}

/**
 * Creates the job queue's schema (pg-boss's `pgboss`), or brings it to JOB_QUEUE_SCHEMA_VERSION,
 * so that workers start on a schema that is there rather than race to create it. pg-boss takes a
 * lock of its own for this; its version before, or null when it was created.
 */
export async function migrateJobQueueSchema(database: Database): Promise<number | null> {
  const before = await jobQueueSchemaVersion(database);
  if (before === JOB_QUEUE_SCHEMA_VERSION) return before;
  const boss = jobQueueOn(database, true);
  let failure: unknown;
  boss.on('error', (error) => (failure ??= error));
  await boss.start();
  await boss.stop({ graceful: false, close: false });
  if (failure !== undefined) throw failure;
  return before;
}
