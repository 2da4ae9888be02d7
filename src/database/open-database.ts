import pg from 'pg';
import type { Database, QueryOutcome, Queryable } from './database.js';
import { databaseError } from './database-error.js';
import { databaseTarget, type DatabaseTarget } from './database-target.js';

export interface DatabaseOptions {
  /** Connections kept open at most. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before the database counts as unreachable. Default 5 s. */
  connectTimeoutMs?: number;
}

/** The settings of one connection, shared by the pool and the migrations' own connection. */
export function connectionConfig(url: string, options: DatabaseOptions = {}): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Names answerkey's connections in pg_stat_activity.
    application_name: 'answerkey',
  };
}

/** Runs a statement on the pool or on one connection, with failures as AnswerkeyErrors. */
function queryOn(client: pg.Pool | pg.PoolClient, target: DatabaseTarget): Queryable['query'] {
  return async (text, values) => {
    try {
      const result = (await client.query(text, values as unknown[] | undefined)) as pg.QueryResult | pg.QueryResult[];
      // Several statements in one text answer with one result each.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 } satisfies QueryOutcome;
    } catch (error) {
      throw databaseError(error, target) ?? error;
    }
  };
}

/**
 * A pool of connections to the PostgreSQL at `url` (a URL resolveDatabaseUrl accepted). Opening
 * connects to nothing: the first statement does, and fails with database_unreachable when it
 * cannot. Close it when done, or the process stays alive while connections are idle.
 */
export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  const target = databaseTarget(url);
  const pool = new pg.Pool({ ...connectionConfig(url, options), max: options.maxConnections ?? 10 });
  // An idle connection that breaks (a restart of the server) leaves the pool; the next statement
  // opens another or says why it cannot. Without a listener the process would crash.
  pool.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return {
    target: target.description,
    query: queryOn(pool, target),
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => {
        throw databaseError(error, target) ?? error;
      });
      let broken = false;
      try {
        const query = queryOn(client, target);
        await query('BEGIN');
        const result = await work({ query });
        await query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        // A connection whose rollback failed is in no known state: the pool closes it.
        client.release(broken);
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
