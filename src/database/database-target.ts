/** Where a database URL points, for messages: never its password. */
export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  /** "host:port/database". */
  description: string;
}

/**
 * Reads host, port, database and user from a postgres:// URL, with PostgreSQL's defaults for the
 * ones it leaves out (localhost, 5432, the database named after the user). The URL is one
 * resolveDatabaseUrl (config/database-url.ts) accepted.
 */
export function databaseTarget(url: string): DatabaseTarget {
  const parsed = new URL(url);
  const user = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  // A socket folder may be given as ?host=/var/run/postgresql.
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
  const port = Number(parsed.port || 5432);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user || 'postgres';
  return { host, port, database, user, description: `${host}:${port}/${database}` };
}
