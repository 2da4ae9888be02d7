/** What a statement returned: its rows as PostgreSQL sent them, for the caller to check with zod. */
export interface QueryOutcome {
  rows: Record<string, unknown>[];
  /** Rows the statement returned or changed. */
  rowCount: number;
}

/** Runs statements: the database itself, or one transaction of it. */
export interface Queryable {
  /**
   * Runs `text` with `values` bound to $1, $2, …; without values, text may hold several
   * statements (the last one's rows are returned). Fails with an AnswerkeyError when the database
   * cannot be reached (database_unreachable) or lacks a table (database_not_migrated).
   */
  query(text: string, values?: readonly unknown[]): Promise<QueryOutcome>;
}

/** The shared PostgreSQL store's connections (open-database.ts). */
export interface Database extends Queryable {
  /** "host:port/database", for messages and logs; never the password. */
  readonly target: string;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws (and its error rethrown).
   */
  transaction<Result>(work: (transaction: Queryable) => Promise<Result>): Promise<Result>;
  /** Closes every connection, waiting for statements under way; calling it again waits for the same. */
  close(): Promise<void>;
}
