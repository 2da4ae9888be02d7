import type { z } from 'zod';
import type { Database } from '../database/database.js';
import { assertMigrated } from '../database/migrations.js';
import { isAnswerkeyError } from '../errors/answerkey-error.js';
import type { readinessSchema } from './api-schemas.js';

export type DatabaseReadiness = NonNullable<z.infer<typeof readinessSchema>['database']>;

/** Whether the database can be reached and has every migration of this version, for /readyz. */
export async function databaseReadiness(database: Database): Promise<DatabaseReadiness> {
  try {
    await assertMigrated(database);
    return { target: database.target, reachable: true, migrated: true };
  } catch (error) {
    // Not migrated means it answered: reachable, and behind this version's migrations.
    const reachable = isAnswerkeyError(error) && error.code === 'database_not_migrated';
    const problem = error instanceof Error ? error.message : String(error);
    return { target: database.target, reachable, migrated: false, problem };
  }
}
