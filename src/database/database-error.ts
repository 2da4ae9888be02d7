import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { DatabaseTarget } from './database-target.js';

/** What pg and Node put on a failure: a socket error's `code` (ECONNREFUSED) or PostgreSQL's SQLSTATE (42P01). */
interface DriverFailure {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The socket error codes of a host that cannot be reached, in words. */
const SOCKET_FAILURES: Record<string, (target: DatabaseTarget) => string> = {
  ECONNREFUSED: ({ host, port }) => `nothing is listening at ${host}:${port} (connection refused)`,
  ENOTFOUND: ({ host }) => `no host named "${host}" could be found`,
  EAI_AGAIN: ({ host }) => `no host named "${host}" could be found (the name lookup failed)`,
  ETIMEDOUT: () => 'it did not answer in time',
  EHOSTUNREACH: () => 'the network cannot reach it',
  ENETUNREACH: () => 'the network cannot reach it',
  ECONNRESET: () => 'it closed the connection',
  EPIPE: () => 'it closed the connection',
  ENOENT: ({ host }) => `there is no socket in ${host}`,
};

/** pg's own words for a connection that timed out or broke. */
const LOST_CONNECTION = /timeout expired|timeout exceeded when trying to connect|Connection terminated/i;

function codeOf(failure: DriverFailure): string | undefined {
  if (typeof failure.code === 'string') return failure.code;
  // Node tries each address of a name (IPv6 and IPv4) and fails with all of their errors together.
  if (Array.isArray(failure.errors)) {
    const first = failure.errors.find((inner: DriverFailure) => typeof inner?.code === 'string') as
      DriverFailure | undefined;
    return first?.code as string | undefined;
  }
  return undefined;
}

/**
 * The AnswerkeyError for a failure of the database or of the connection to it, or undefined for
 * anything else (a mistake in a statement is a bug, and stays as it is). Messages name the
 * database as host:port/database, never with the URL's password.
 */
export function databaseError(error: unknown, target: DatabaseTarget): AnswerkeyError | undefined {
  if (error instanceof AnswerkeyError || typeof error !== 'object' || error === null) return undefined;
  const failure = error as DriverFailure;
  const code = codeOf(failure);
  const said = typeof failure.message === 'string' ? failure.message : String(error);
  const unreachable = (why: string) =>
    new AnswerkeyError('database_unreachable', `cannot use PostgreSQL at ${target.description}: ${why}`, {
      cause: error,
      details: { target: target.description, driverCode: code },
    });
  if (code !== undefined && code in SOCKET_FAILURES) return unreachable(SOCKET_FAILURES[code](target));
  if (code === '3D000') return unreachable(`it has no database "${target.database}"`);
  // 28000: no pg_hba.conf entry for this user and host; 28P01: a wrong password.
  if (code?.startsWith('28')) return unreachable(`it refused the login: ${said}`);
  // 57P01–57P03: shutting down, restarting, or not yet accepting connections; 53300: too many connections.
  if (code?.startsWith('57P') || code === '53300') return unreachable(`it is not taking connections: ${said}`);
  // Class 08: connection exceptions.
  if (code?.startsWith('08')) return unreachable(said);
  if (code === undefined && LOST_CONNECTION.test(said)) return unreachable(said);
  // 42P01: no such table; 3F000: no such schema (the job queue's).
  if (code === '42P01' || code === '3F000') {
    return new AnswerkeyError(
      'database_not_migrated',
      `the database ${target.description} is not set up for this version of answerkey: ${said}`,
      { cause: error, details: { target: target.description } },
    );
  }
  return undefined;
}
