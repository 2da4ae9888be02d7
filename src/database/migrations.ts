import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { PACKAGE_ROOT } from '../config/paths.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { Database } from './database.js';
import { databaseError } from './database-error.js';
import { databaseTarget } from './database-target.js';
import { JOB_QUEUE_SCHEMA_VERSION, jobQueueSchemaVersion, migrateJobQueueSchema } from './job-queue-schema.js';
import { connectionConfig, openDatabase } from './open-database.js';

/** The schema's migrations, in order: SQL files named `<timestamp>_<what>.sql`. */
export const MIGRATIONS_DIRECTORY = resolve(PACKAGE_ROOT, 'migrations');

/** Where node-pg-migrate records what ran: its default table, so its own command line reads it too. */
const MIGRATIONS_TABLE = 'pgmigrations';

/** The migrations this version of answerkey has, oldest first, by name (the file name without .sql). */
export function migrationNames(directory = MIGRATIONS_DIRECTORY): string[] {
  return readdirSync(directory)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .map((file) => file.replace(/\.sql$/, ''))
    .sort((left, right) => Number(left.split('_')[0]) - Number(right.split('_')[0]) || left.localeCompare(right));
}

export interface AppliedMigration {
  name: string;
  runOn: Date;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  /** This version's migrations not yet applied. */
  pending: string[];
  /** Applied migrations this version does not have (the database was migrated by a newer one). */
  unknown: string[];
  /** The job queue's schema version, or null when it has none yet. */
  jobQueueVersion: number | null;
  /** The job queue schema version this version needs. */
  jobQueueWanted: number;
}

/** What is applied and what is not, read without changing anything. */
export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  const { rows } = await database.query(`SELECT to_regclass('${MIGRATIONS_TABLE}') IS NOT NULL AS present`);
  const applied: AppliedMigration[] = rows[0]?.present
    ? (await database.query(`SELECT name, run_on FROM ${MIGRATIONS_TABLE} ORDER BY run_on, id`)).rows.map((row) => ({
        name: String(row.name),
        runOn: row.run_on as Date,
      }))
    : [];
  const known = migrationNames();
  const appliedNames = new Set(applied.map((migration) => migration.name));
  return {
    applied,
    pending: known.filter((name) => !appliedNames.has(name)),
    unknown: applied.map((migration) => migration.name).filter((name) => !known.includes(name)),
    jobQueueVersion: await jobQueueSchemaVersion(database),
    jobQueueWanted: JOB_QUEUE_SCHEMA_VERSION,
  };
}

/** Fails with database_not_migrated unless every migration and the job queue's schema are in place. */
export async function assertMigrated(database: Database): Promise<void> {
  const status = await migrationStatus(database);
  const missing = [
    ...status.pending.map((name) => `migration ${name}`),
    ...(status.jobQueueVersion === status.jobQueueWanted
      ? []
      : [`job queue schema version ${status.jobQueueWanted} (it has ${status.jobQueueVersion ?? 'none'})`]),
  ];
  if (missing.length > 0) {
    throw new AnswerkeyError(
      'database_not_migrated',
      `the database ${database.target} is not set up for this version of answerkey: it lacks ${missing.join(', ')}`,
      { details: { target: database.target, pending: status.pending } },
    );
  }
}

export interface MigrationOutcome {
  /** The migrations that ran now, oldest first; none when the database was up to date. */
  ran: string[];
  /** The job queue's schema version before, or null when it was created now. */
  jobQueueBefore: number | null;
  jobQueueVersion: number;
}

/** node-pg-migrate's messages stay out of the output: the caller says what ran. */
const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Applies the pending migrations in one transaction (all or none), then creates or updates the job
 * queue's schema. Two at once are safe: the second waits for the first's lock, then finds nothing to do.
 */
export async function migrateDatabase(url: string): Promise<MigrationOutcome> {
  const target = databaseTarget(url);
  const client = new pg.Client(connectionConfig(url));
  client.on('error', () => undefined);
  await client.connect().catch((error: unknown) => {
    throw databaseError(error, target) ?? error;
  });
  let ran: string[];
  try {
    ran = (
      await runner({
        dbClient: client,
        dir: MIGRATIONS_DIRECTORY,
        migrationsTable: MIGRATIONS_TABLE,
        direction: 'up',
        checkOrder: true,
        singleTransaction: true,
        advisoryLockMode: 'wait',
        logger: SILENT,
      })
    ).map((migration) => migration.name);
  } catch (error) {
    throw (
      databaseError(error, target) ??
      new AnswerkeyError(
        'database_not_migrated',
        `migrating ${target.description} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        { cause: error, details: { reason: 'migration_failed', target: target.description } },
      )
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const database = openDatabase(url, { maxConnections: 1 });
  try {
    const jobQueueBefore = await migrateJobQueueSchema(database);
    return { ran, jobQueueBefore, jobQueueVersion: JOB_QUEUE_SCHEMA_VERSION };
  } finally {
    await database.close();
  }
}
