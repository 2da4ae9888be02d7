import { z } from 'zod';
import type { Database } from '../database/database.js';
import type { ReviewLog } from './review-log.js';
import { reviewRecordSchema, type ReviewRecord } from './review-schema.js';

const recordRowSchema = z.object({ record: z.unknown() });

/**
 * The review log in PostgreSQL (review_log), shared by every API replica: one row per review,
 * never updated. A record whose id is logged already (a retried append) is not added again.
 */
export function createPostgresReviewLog(database: Database): ReviewLog {
  return {
    location: `PostgreSQL at ${database.target}`,
    async append(record) {
      const checked = reviewRecordSchema.parse(record);
      await database.query(
        `INSERT INTO review_log (record, reviewed_at, reviewer) VALUES ($1::jsonb, $2, $3)
         ON CONFLICT ((record ->> 'id')) DO NOTHING`,
        [JSON.stringify(checked), checked.at, checked.who],
      );
    },
    async list(): Promise<ReviewRecord[]> {
      const { rows } = await database.query('SELECT record FROM review_log ORDER BY id');
      return rows.flatMap((row) => {
        const parsed = reviewRecordSchema.safeParse(recordRowSchema.parse(row).record);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
