import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { lookupResponseSchema } from '../../src/server/api-schemas.js';
import { runCliForTest as run } from '../helpers/run-cli.js';

/** A question the bank holds, typed so loosely that it falls below the threshold, with its right entry first. */
// Ranked first but below the threshold: q2 (a production bug you debugged) at about 0.32.
const LOOSE = 'hardest bug you debugged';
const ANSWER =
  'A memory leak in an inference service: py-spy and tracemalloc showed sessions never closed; I closed them and added a memory alert.';
const flags = [
  '--index-dir',
  mkdtempSync(join(tmpdir(), 'answerkey-lookup-index-')),
  '--examples-dir',
  mkdtempSync(join(tmpdir(), 'answerkey-lookup-examples-')),
  '--mode',
  'local',
];

describe('lookup: near misses are choices', () => {
  it('below the threshold, lists the nearest as "did you mean" with the command that takes each, and exits 0', async () => {
    const result = await run(['lookup', LOOSE, ...flags]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('No bank question is close enough');
    expect(result.out).toMatch(/Did you mean q2, or q\d+, or q\d+\?/);
    expect(result.out).toContain(`answerkey lookup "${LOOSE}" -i q2\n`);
    expect(result.out).not.toContain('Reference answer');
  });

  it('with an answer and no -i: grades nothing, says so, offers -i with the nearest, and exits 1', async () => {
    const result = await run(['lookup', LOOSE, '--answer', 'Index what you filter on.', ...flags]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`answerkey lookup "${LOOSE}" -i q2 --answer "Index what you filter on."`);
    expect(result.out).not.toContain('Score');
    expect(result.err).toMatch(
      /^answerkey: nothing graded: no bank question is close enough \(nearest: q2 at 0\.\d\d, threshold 0\.38\)\n  hint: add -i to grade against q2, or -i q\d+ for another/,
    );
  });

  it('-i alone takes the nearest and grades against it, saying it was below the threshold', async () => {
    const result = await run(['lookup', LOOSE, '--answer', ANSWER, '-i', ...flags]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /Using q2, the nearest, as chosen with -i \(similarity 0\.\d\d, below the threshold 0\.38\)/,
    );
    expect(result.out).toMatch(/Score \d\.\d \/ 5/);
  });

  it('-i ID takes that entry; --json keeps matched null and carries the chosen rubric and its grade', async () => {
    const result = await run(['lookup', LOOSE, '--answer', ANSWER, '-i', 'q17', '--json', ...flags]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out) as Record<string, unknown>;
    expect(lookupResponseSchema.parse(printed).matched).toBeNull();
    expect((printed.rubric as { id: string }).id).toBe('q17');
    expect(gradeSchema.parse(printed.grade).questionId).toBe('q17');
  });

  it('--json with an answer and nothing matched prints the near misses, then fails with exit 1', async () => {
    const result = await run(['lookup', LOOSE, '--answer', ANSWER, '--json', ...flags]);
    expect(result.code).toBe(1);
    const printed = JSON.parse(result.out) as Record<string, unknown>;
    expect(printed).toMatchObject({ matched: null, rubric: null, grade: null });
    expect(lookupResponseSchema.parse(printed).matches[0].questionId).toBe('q2');
  });

  it('-i with an id the bank lacks (or the question taken for one) is one line with a hint, exit 1', async () => {
    const result = await run(['lookup', '-i', 'dynamo vs postgres', ...flags]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^answerkey: no question "dynamo vs postgres" in the bank\n  hint: known ids: q1, .*put -i after the question text/,
    );
  });

  it('a matched question is shown with its reference, as before; -i changes nothing there', async () => {
    for (const extra of [[], ['-i']]) {
      const result = await run(['lookup', 'dynamo vs postgres', ...extra, ...flags]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('q13  Database Technologies');
      expect(result.out).not.toContain('Did you mean');
    }
  });
});
