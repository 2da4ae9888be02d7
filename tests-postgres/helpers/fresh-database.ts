import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** A role that may create databases, on the server the tests use. */
export const ADMIN_URL = process.env.ANSWERKEY_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement as the admin role, on a connection of its own. */
async function asAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the test server, as the admin role. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database answerkey_test_<random>; drop() removes it, closing what is still connected. */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const name = `answerkey_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  return {
    name,
    url: databaseUrl(name),
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * A fresh database for the tests of one file: created before them, dropped after them. Read its
 * fields inside tests and hooks (they are set in beforeAll).
 */
export function useFreshDatabase(): FreshDatabase {
  const fresh = { name: '', url: '' } as FreshDatabase;
  let created: FreshDatabase | undefined;
  beforeAll(async () => {
    created = await createFreshDatabase();
    Object.assign(fresh, created);
  });
  afterAll(async () => {
    await created?.drop();
  });
  fresh.drop = async () => created?.drop();
  return fresh;
}
