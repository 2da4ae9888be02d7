import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/database/migrations.js';
import { JOB_QUEUE_SCHEMA_VERSION } from '../src/database/job-queue-schema.js';
import { runCliForTest as run } from '../tests/helpers/run-cli.js';
import { createFreshDatabase, useFreshDatabase } from './helpers/fresh-database.js';

const fresh = useFreshDatabase();

/** The schema of issue #16, and node-pg-migrate's record of what ran. */
const TABLES = [
  'bank_versions',
  'batch_runs',
  'graded_examples',
  'pgmigrations',
  'queue_workers',
  'rate_limit_counters',
  'review_log',
  'run_answers',
  'run_grades',
  'run_problems',
  'store_versions',
];

async function tablesOf(url: string): Promise<{ tables: string[]; schemas: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    const schemas = await client.query<{ schema_name: string }>(
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'pgboss'",
    );
    return {
      tables: tables.rows.map((row) => row.table_name),
      schemas: schemas.rows.map((row) => row.schema_name),
    };
  } finally {
    await client.end();
  }
}

/** A port on this machine where nothing listens: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('answerkey db migrate and db status, on a database of its own', () => {
  it('status on an empty database: the migration pending, no job queue schema', async () => {
    const { code, out, err } = await run(['db', 'status', '--database-url', fresh.url]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^127\\.0\\.0\\.1:5432/${fresh.name}\n`));
    expect(out).toMatch(/^ {2}pending {2}\d+_initial-schema$/m);
    expect(out).toContain('job queue schema (pg-boss): not created\n');
    expect(out).toMatch(/^ {2}pending {2}\d+_queued-runs$/m);
    expect(out).toMatch(/^ {2}pending {2}\d+_shared-examples$/m);
    expect(out).toMatch(/not up to date: run `answerkey db migrate` \(3 migrations pending\)\n$/);
  });

  it('migrate creates every table and the job queue schema, and says which migrations ran', async () => {
    const { code, out, err } = await run(['db', 'migrate', '--database-url', fresh.url]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:5432/${fresh.name}: ran 3 migrations\n {2}\\d+_initial-schema\n {2}\\d+_queued-runs\n {2}\\d+_shared-examples\n`,
      ),
    );
    expect(out).toContain(`job queue schema (pg-boss): created (version ${JOB_QUEUE_SCHEMA_VERSION})\n`);
    expect(await tablesOf(fresh.url)).toEqual({ tables: TABLES, schemas: ['pgboss'] });
  });

  it('migrate again is up to date and changes nothing', async () => {
    const { code, out } = await run(['db', 'migrate', '--database-url', fresh.url]);
    expect(code).toBe(0);
    expect(out).toBe(
      `127.0.0.1:5432/${fresh.name}: up to date, no migration to run\n` +
        `job queue schema (pg-boss): up to date (version ${JOB_QUEUE_SCHEMA_VERSION})\n`,
    );
    expect((await tablesOf(fresh.url)).tables).toEqual(TABLES);
  });

  it('status after it: applied with when, and up to date', async () => {
    const { code, out } = await run(['db', 'status', '--database-url', fresh.url]);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}applied {2}\d+_initial-schema {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    expect(out).not.toContain('pending');
    expect(out).toContain(`job queue schema (pg-boss): version ${JOB_QUEUE_SCHEMA_VERSION}, up to date\n`);
    expect(out).toMatch(/\nup to date\n$/);
  });

  it('reads the database from ANSWERKEY_DATABASE_URL, and never prints its password', async () => {
    const url = new URL(fresh.url);
    url.password = 'hunter2';
    process.env.ANSWERKEY_DATABASE_URL = url.toString();
    try {
      // Trust authentication: the server takes any password, so the command runs with it.
      const { code, out, err } = await run(['db', 'status']);
      expect(code).toBe(0);
      expect(`${out}${err}`).not.toContain('hunter2');
      expect(out).toContain(`127.0.0.1:5432/${fresh.name}\n`);
    } finally {
      delete process.env.ANSWERKEY_DATABASE_URL;
    }
  });

  it('two migrations at once: the second waits for the first, and the schema is made once', async () => {
    const other = await createFreshDatabase();
    try {
      const outcomes = await Promise.all([migrateDatabase(other.url), migrateDatabase(other.url)]);
      expect(outcomes.map((outcome) => outcome.ran.length).sort()).toEqual([0, 3]);
      expect(await tablesOf(other.url)).toEqual({ tables: TABLES, schemas: ['pgboss'] });
    } finally {
      await other.drop();
    }
  });
});

describe('a database that cannot be reached', () => {
  it('exits 1 naming host:port/database, never the password, with what to check', async () => {
    const port = await closedPort();
    for (const command of ['migrate', 'status']) {
      const { code, out, err } = await run([
        'db',
        command,
        '--database-url',
        `postgres://ana:hunter2@127.0.0.1:${port}/answerkey`,
      ]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(
        `answerkey: cannot use PostgreSQL at 127.0.0.1:${port}/answerkey: nothing is listening at 127.0.0.1:${port} (connection refused)\n` +
          `  hint: check that PostgreSQL is running at 127.0.0.1:${port}/answerkey and that --database-url / ANSWERKEY_DATABASE_URL names it\n`,
      );
    }
  });

  it('a database the server does not have: says so, and to create it', async () => {
    const { code, err } = await run([
      'db',
      'status',
      '--database-url',
      `${fresh.url.replace(fresh.name, `${fresh.name}_missing`)}`,
    ]);
    expect(code).toBe(1);
    expect(err).toContain(`it has no database "${fresh.name}_missing"`);
    expect(err).toContain('hint: create the database (createdb)');
  });
});
