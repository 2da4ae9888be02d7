import { describe, expect, it } from 'vitest';
import { maskDatabaseUrl } from '../../src/config/database-url.js';
import { databaseError } from '../../src/database/database-error.js';
import { databaseTarget } from '../../src/database/database-target.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';

/*
 * What the command line and the server say about a database, from the URL and the failures pg
 * reports. The failures themselves, from a real PostgreSQL, are tests-postgres/'s.
 */

describe('a database URL in messages', () => {
  it.each([
    ['postgres://ana:hunter2@db.internal:5433/team', 'postgres://ana:***@db.internal:5433/team'],
    ['postgresql://ana:hun%40ter2@db/team?sslmode=require', 'postgresql://ana:***@db/team?sslmode=require'],
    ['postgres://db/team?user=ana&password=hunter2', 'postgres://db/team?user=ana&password=***'],
    ['postgres://ana@db/team', 'postgres://ana@db/team'],
    ['postgres://db:5432/team', 'postgres://db:5432/team'],
    ['ana:hunter2@db/team', 'ana:***@db/team'],
  ])('masks the password of %s', (url, masked) => {
    expect(maskDatabaseUrl(url)).toBe(masked);
  });

  it('names the database as host:port/database, with PostgreSQL defaults for what the URL leaves out', () => {
    expect(databaseTarget('postgres://ana:hunter2@db.internal:5433/team')).toEqual({
      host: 'db.internal',
      port: 5433,
      database: 'team',
      user: 'ana',
      description: 'db.internal:5433/team',
    });
    expect(databaseTarget('postgres://ana@db').description).toBe('db:5432/ana');
    expect(databaseTarget('postgresql:///team?host=/var/run/postgresql').description).toBe(
      '/var/run/postgresql:5432/team',
    );
  });
});

describe('driver failures as AnswerkeyErrors', () => {
  const target = databaseTarget('postgres://ana:hunter2@db.internal:5433/team');
  const failure = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? '')), fields);

  it.each([
    [{ code: 'ECONNREFUSED' }, 'nothing is listening at db.internal:5433 (connection refused)'],
    [{ code: 'ENOTFOUND' }, 'no host named "db.internal" could be found'],
    [{ code: '3D000', message: 'database "team" does not exist' }, 'it has no database "team"'],
    [{ code: '28P01', message: 'password authentication failed for user "ana"' }, 'it refused the login'],
    [{ code: '57P03', message: 'the database system is starting up' }, 'it is not taking connections'],
    [{ message: 'Connection terminated due to connection timeout' }, 'connection timeout'],
  ])('%j is database_unreachable, named by host:port/database', (fields, words) => {
    const error = databaseError(failure(fields), target);
    expect(error?.code).toBe('database_unreachable');
    expect(error?.message).toContain('db.internal:5433/team');
    expect(error?.message).toContain(words);
    expect(error?.message).not.toContain('hunter2');
    expect(error?.details?.target).toBe('db.internal:5433/team');
  });

  it('is database_unreachable when every address of a name refuses (Node fails with all their errors)', () => {
    const refused = Object.assign(new AggregateError([failure({ code: 'ECONNREFUSED' })]), {});
    expect(databaseError(refused, target)?.code).toBe('database_unreachable');
  });

  it('is database_not_migrated for a missing table or schema', () => {
    for (const code of ['42P01', '3F000']) {
      const error = databaseError(failure({ code, message: 'relation "graded_examples" does not exist' }), target);
      expect(error?.code).toBe('database_not_migrated');
      expect(error?.message).toContain('db.internal:5433/team');
    }
  });

  it('leaves a mistake in a statement, and our own errors, as they are', () => {
    expect(databaseError(failure({ code: '42601', message: 'syntax error at or near "SELEC"' }), target)).toBe(
      undefined,
    );
    expect(databaseError(new AnswerkeyError('invalid_input', 'x'), target)).toBeUndefined();
    expect(databaseError('a string', target)).toBeUndefined();
  });
});
