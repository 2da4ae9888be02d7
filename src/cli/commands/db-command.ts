import { Command } from 'commander';
import { resolveDatabaseUrl } from '../../config/database-url.js';
import { migrateDatabase, migrationStatus } from '../../database/migrations.js';
import { openDatabase } from '../../database/open-database.js';
import { databaseTarget } from '../../database/database-target.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { plural } from '../../text/plural.js';
import type { CliIo } from '../cli-io.js';
import { databaseUrlOption } from '../shared-options.js';

interface DbOptions {
  databaseUrl?: string;
}

/** The database URL the command was given; without one there is nothing to migrate: a usage mistake. */
function databaseUrlOf(options: DbOptions): string {
  const url = resolveDatabaseUrl(options.databaseUrl, process.env);
  if (url === undefined) {
    throw new AnswerkeyError('invalid_setting', 'no database given: answerkey db works on a PostgreSQL database', {
      hint: 'set ANSWERKEY_DATABASE_URL or pass --database-url postgres://user:password@host:5432/database',
    });
  }
  return url;
}

const URL_HELP =
  'The database comes from --database-url or ANSWERKEY_DATABASE_URL (postgres://user:password@host:5432/database); ' +
  'messages name it as host:port/database, never with the password. See docs/deploy.md.';

export function dbCommand(io: CliIo): Command {
  const db = new Command('db')
    .summary('set up the PostgreSQL database a team shares (ANSWERKEY_DATABASE_URL)')
    .description(
      'answerkey keeps everything in files unless it is given a PostgreSQL database, which a team and its ' +
        'servers and workers then share. These commands create its tables and say what is applied. ' +
        URL_HELP,
    );

  const migrate = new Command('migrate')
    .summary("create or update the database's tables and the job queue's schema")
    .description(
      "Applies this version's pending migrations (the SQL files in migrations/) in one transaction, all or none, " +
        "then creates or updates the job queue's schema (pg-boss, in the pgboss schema), so that servers and " +
        'workers start on tables that are there. Run it on every install or upgrade, before starting them; a run ' +
        'with nothing to do says "up to date", and two at once are safe (the second waits for the first). ' +
        URL_HELP,
    )
    .addOption(databaseUrlOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey db migrate\n' +
        '  $ answerkey db migrate --database-url postgres://answerkey:secret@127.0.0.1:5432/answerkey',
    )
    .action(async (options: DbOptions) => {
      const url = databaseUrlOf(options);
      const where = databaseTarget(url).description;
      const { ran, jobQueueBefore, jobQueueVersion } = await migrateDatabase(url);
      if (ran.length === 0) io.stdout(`${where}: up to date, no migration to run\n`);
      else io.stdout(`${where}: ran ${plural(ran.length, 'migration')}\n${ran.map((name) => `  ${name}\n`).join('')}`);
      io.stdout(
        `job queue schema (pg-boss): ${
          jobQueueBefore === jobQueueVersion
            ? `up to date (version ${jobQueueVersion})`
            : jobQueueBefore === null
              ? `created (version ${jobQueueVersion})`
              : `updated from version ${jobQueueBefore} to ${jobQueueVersion}`
        }\n`,
      );
    });

  const status = new Command('status')
    .summary('list the applied and pending migrations')
    .description(
      "Shows each of this version's migrations as applied (with when) or pending, any applied migration this " +
        "version does not know (the database was migrated by a newer one), and the job queue schema's version. " +
        'Changes nothing. ' +
        URL_HELP,
    )
    .addOption(databaseUrlOption())
    .addHelpText(
      'after',
      '\nExamples:\n' + '  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey db status',
    )
    .action(async (options: DbOptions) => {
      const database = openDatabase(databaseUrlOf(options), { maxConnections: 1 });
      try {
        const state = await migrationStatus(database);
        const lines = [
          `${database.target}`,
          ...state.applied.map(
            ({ name, runOn }) =>
              `  applied  ${name}  ${runOn.toISOString().replace('T', ' ').slice(0, 19)} UTC${
                state.unknown.includes(name) ? '  (not in this version of answerkey)' : ''
              }`,
          ),
          ...state.pending.map((name) => `  pending  ${name}`),
          `job queue schema (pg-boss): ${
            state.jobQueueVersion === null
              ? 'not created'
              : state.jobQueueVersion === state.jobQueueWanted
                ? `version ${state.jobQueueVersion}, up to date`
                : `version ${state.jobQueueVersion}, this version of answerkey needs ${state.jobQueueWanted}`
          }`,
          state.pending.length === 0 && state.jobQueueVersion === state.jobQueueWanted
            ? 'up to date'
            : `not up to date: run \`answerkey db migrate\`${
                state.pending.length > 0 ? ` (${plural(state.pending.length, 'migration')} pending)` : ''
              }`,
        ];
        io.stdout(`${lines.join('\n')}\n`);
      } finally {
        await database.close();
      }
    });

  return db.addCommand(migrate).addCommand(status);
}
