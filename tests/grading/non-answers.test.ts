import { describe, expect, it } from 'vitest';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

describe('stock non-answers are empty answers', () => {
  it.each([
    'TODO',
    'N/A - ran out of time',
    'n/a: ran out of time.',
    'TODO: finish later',
    'Skipped (no time)',
    'ran out of time',
    "pass — didn't finish",
    'TBD, will come back to this later',
  ])('"%s" is graded 0 and flagged empty', async (answer) => {
    const grade = await grader.grade({ questionId: 'q13', answer });
    expect(grade.score).toBe(0);
    expect(grade.flags).toContain('empty');
  });

  it.each([
    'No: DynamoDB for simple key lookups at scale, PostgreSQL for joins and transactions.',
    'N/A for joins: DynamoDB has none, so PostgreSQL when you need them.',
  ])('an answer that opens with such words is still graded on what it says: "%s"', async (answer) => {
    const grade = await grader.grade({ questionId: 'q13', answer });
    expect(grade.flags).not.toContain('empty');
    expect(grade.score).toBeGreaterThan(0);
  });
});
