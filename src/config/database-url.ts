import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** How a person sets the database, for messages. */
export const DATABASE_URL_SETTING = '--database-url / ANSWERKEY_DATABASE_URL';

/** A PostgreSQL connection URL: postgres://user:password@host:port/database. */
export const databaseUrlSchema = z.string().refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL');

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/**
 * The URL with its password replaced by "***", for any message or log: the password in the user
 * part (also of a URL without its scheme) and a `password=` parameter both.
 */
export function maskDatabaseUrl(text: string): string {
  return text.replace(/(^|\/\/)([^:/@\s]*:)[^@/\s]*@/, '$1$2***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** The value given, for a message: masked, and only when it is a URL (other text could be anything, a password too). */
function givenValue(text: string): string {
  try {
    new URL(text);
    return `, not "${maskDatabaseUrl(text)}"`;
  } catch {
    return '';
  }
}

/**
 * The database URL from the flag, else ANSWERKEY_DATABASE_URL, else undefined (the file stores).
 * A value that is not a PostgreSQL URL is an invalid setting, named without its password.
 */
export function resolveDatabaseUrl(
  flag: string | undefined,
  environment: Record<string, string | undefined>,
): string | undefined {
  const given = [flag, environment.ANSWERKEY_DATABASE_URL].map((value) => value?.trim()).find((value) => !!value);
  if (given === undefined) return undefined;
  const result = databaseUrlSchema.safeParse(given);
  if (!result.success) {
    throw new AnswerkeyError(
      'invalid_setting',
      `invalid setting ${DATABASE_URL_SETTING}: ${result.error.issues[0].message}${givenValue(given)}`,
      { hint: 'check the setting (see .env.example)', details: { reason: 'setting_invalid' } },
    );
  }
  return result.data;
}
