import { afterAll, describe, expect, it } from 'vitest';
import type { ReviewLog } from '../../src/reviews/review-log.js';
import type { ReviewRecord } from '../../src/reviews/review-schema.js';

/** How the contract opens the log under test. */
export interface ReviewLogFixture {
  /** A log on empty storage, of its own. */
  fresh(): Promise<ReviewLog>;
  /** A second log on the same storage, as another process opens it. */
  another(log: ReviewLog): Promise<ReviewLog>;
  close?(): Promise<void>;
}

export function reviewRecord(id: string, extra: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    id,
    gradeId: `g-${id}`,
    questionId: 'q4',
    at: '2026-03-01T10:00:00.000Z',
    who: 'alice',
    accepted: false,
    maxScore: 5,
    graderScore: 3.5,
    reviewerScore: 2,
    keyPoints: [{ id: 'kp1', grader: 'covered', reviewer: 'missing' }],
    exampleId: `ex-${id.slice(-8)}`,
    ...extra,
  };
}

/** The behaviour every ReviewLog has (reviews/review-log.ts), for the file and for PostgreSQL. */
export function reviewLogContract(name: string, fixture: ReviewLogFixture): void {
  describe(`the ReviewLog contract: ${name}`, () => {
    afterAll(async () => fixture.close?.());

    it('lists nothing at first, then every record appended, oldest first, exactly as appended', async () => {
      const log = await fixture.fresh();
      expect(await log.list()).toEqual([]);
      const first = reviewRecord('rv-00000001', { note: 'misses deployment' });
      const second = reviewRecord('rv-00000002', { accepted: true, keyPoints: [], reviewerScore: 3.5, who: 'local' });
      await log.append(first);
      await log.append(second);
      expect(await log.list()).toEqual([first, second]);
      expect((await log.list())[1].note).toBeUndefined();
    });

    it('is one log for every process: appends made together through two logs are all kept', async () => {
      const log = await fixture.fresh();
      const other = await fixture.another(log);
      const records = Array.from({ length: 10 }, (_, index) => reviewRecord(`rv-1000000${index}`));
      await Promise.all(records.map((record, index) => (index % 2 === 0 ? log : other).append(record)));
      const listed = await other.list();
      expect(listed.map((record) => record.id).sort()).toEqual(records.map((record) => record.id));
      expect(await log.list()).toEqual(listed);
    });

    it('refuses a record that is not one, and logs nothing of it', async () => {
      const log = await fixture.fresh();
      await expect(log.append({ ...reviewRecord('rv-00000003'), maxScore: -1 })).rejects.toThrow();
      expect(await log.list()).toEqual([]);
    });
  });
}
