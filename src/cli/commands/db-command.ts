import { Command, Option } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { loadQuestionBank } from '../../rubrics/question-bank.js';
import { bankVersions, importBank } from '../../rubrics/bank-versions.js';
import { assertExists } from '../input-path.js';
import { resolveDatabaseUrl } from '../../config/database-url.js';
import { assertMigrated, migrateDatabase, migrationStatus } from '../../database/migrations.js';
import { openDatabase } from '../../database/open-database.js';
import { databaseTarget } from '../../database/database-target.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { plural } from '../../text/plural.js';
import type { CliIo } from '../cli-io.js';
import { databaseUrlOption } from '../shared-options.js';

interface DbOptions {
  databaseUrl?: string;
}

interface ImportBankOptions extends DbOptions {
  bank?: string;
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

/** "2026-03-01 10:00:00 UTC". */
const formatTime = (time: Date) => `${time.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const URL_HELP =
  'The database comes from --database-url or ANSWERKEY_DATABASE_URL (postgres://user:password@host:5432/database); ' +
  'messages name it as host:port/database, never with the password. See docs/deploy.md.';

export function dbCommand(io: CliIo): Command {
  const db = new Command('db')
    .summary('set up the PostgreSQL database a team shares (ANSWERKEY_DATABASE_URL)')
    .description(
      'answerkey keeps everything in files unless it is given a PostgreSQL database, which a team and its ' +
        'servers and workers then share. These commands create its tables, say what is applied, and store the question bank. ' +
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
              `  applied  ${name}  ${formatTime(runOn)}${
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

  const importBankCommand = new Command('import-bank')
    .summary('store the question bank (rubric YAML) in the database as a new version')
    .description(
      "Reads the bank's rubric YAML files (--bank / ANSWERKEY_BANK_DIR, default the shipped bank), checks them as " +
        'grading does, and stores them in bank_versions as a new version, numbered in order, unless the same content ' +
        'is there already (then it says which version it is). Lists every version stored. ' +
        URL_HELP,
    )
    .addOption(new Option('--bank <dir>', 'question bank folder of rubric YAML files').env('ANSWERKEY_BANK_DIR'))
    .addOption(databaseUrlOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey db import-bank\n' +
        '  $ answerkey db import-bank --database-url postgres://answerkey@127.0.0.1:5432/answerkey',
    )
    .action(async (options: ImportBankOptions) => {
      const url = databaseUrlOf(options);
      if (options.bank !== undefined) assertExists(options.bank, '--bank / ANSWERKEY_BANK_DIR');
      const bank = loadQuestionBank(options.bank ?? DEFAULT_PATHS.bankDirectory);
      const database = openDatabase(url, { maxConnections: 1 });
      try {
        await assertMigrated(database);
        const imported = await importBank(database, bank);
        const what = `${plural(imported.questions, 'question')}, content ${imported.contentHash.slice(0, 12)}`;
        io.stdout(
          imported.created
            ? `${database.target}: imported the bank as version ${imported.version} (${what})\n`
            : `${database.target}: the bank is version ${imported.version} already (${what}), imported ${formatTime(imported.importedAt)}; nothing to import\n`,
        );
        for (const version of await bankVersions(database))
          io.stdout(
            `  version ${version.version}  ${formatTime(version.importedAt)}  ${plural(version.questions, 'question')}  ${version.contentHash.slice(0, 12)}\n`,
          );
      } finally {
        await database.close();
      }
    });

  return db.addCommand(migrate).addCommand(status).addCommand(importBankCommand);
}
