import PgBoss from 'pg-boss';
import type { Database, Queryable } from './database.js';

export type JobQueue = PgBoss;

export interface JobQueueOptions {
  /**
   * Runs pg-boss's upkeep every few seconds (one process at a time does it, whichever asks first):
   * jobs whose worker died past their time limit go back to the queue, or to its dead-letter queue
   * when out of retries. Workers supervise; a process that only sends jobs need not.
   */
  supervise?: boolean;
  /** How often the upkeep runs, in seconds. Default 5. */
  maintenanceIntervalSeconds?: number;
}

/** pg-boss's way of running statements, on one of ours: the pool, or one transaction of it. */
export function jobQueueConnection(queryable: Queryable): PgBoss.Db {
  return { executeSql: (text, values) => queryable.query(text, values) };
}

/**
 * The job queue (pg-boss, in the schema `answerkey db migrate` creates) on the database's own pool.
 * Never migrates: a process checks with assertMigrated first. Start it before use, stop it after.
 */
export function openJobQueue(database: Database, options: JobQueueOptions = {}): JobQueue {
  return new PgBoss({
    db: jobQueueConnection(database),
    migrate: false,
    supervise: options.supervise ?? false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 5,
    schedule: false,
  });
}
