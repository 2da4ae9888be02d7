import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenize } from '../../src/text/tokenize.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { distinctUnknownWords } from '../helpers/random-letters.js';

// Every reading of an answer starts with tokenize: the main thread's calls to it are recorded (the
// scoring threads load their own copy of the module, which this does not touch).
vi.mock('../../src/text/tokenize.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/text/tokenize.js')>();
  return { ...original, tokenize: vi.fn(original.tokenize) };
});

const DISTINCT_UNKNOWN_WORDS = distinctUnknownWords();

/** Whether the main thread tokenized (so read, embedded or scored) this text since the last clear. */
const tokenizedOnMainThread = (text: string) =>
  vi.mocked(tokenize).mock.calls.some(([tokenized]) => tokenized.includes(text.slice(0, 200)));

/**
 * The server grades on worker threads so that no answer holds its event loop (issue #12: /healthz
 * under 100 ms while a 20,000-character answer grades). Work linear in an answer's words on the main
 * thread would hold it for as long as the answer is long: none may happen there, scoring, the
 * off-topic guard's search of the index, or the search for a question's graded examples.
 */
describe('a grade on the scoring threads', () => {
  const { grader } = createTestGrader({}, { scoringThreads: 1 });
  beforeAll(async () => {
    // The index is built, and the bank's references analysed, before anything is recorded.
    await grader.warmUp();
  }, 120_000);
  beforeEach(() => {
    vi.mocked(tokenize).mockClear();
  });
  afterAll(() => grader.close());

  it('never reads the answer on the main thread, off-topic guard included', async () => {
    const grade = await grader.grade({ questionId: 'q4', answer: DISTINCT_UNKNOWN_WORDS });
    expect(grade.normalizedScore).toBeLessThan(0.6); // low enough for the guard to look elsewhere
    expect(tokenizedOnMainThread(DISTINCT_UNKNOWN_WORDS)).toBe(false);
    // The recording works: the same answer read on this thread is seen.
    tokenize(DISTINCT_UNKNOWN_WORDS);
    expect(tokenizedOnMainThread(DISTINCT_UNKNOWN_WORDS)).toBe(true);
  }, 60_000);

  it('never reads the answer on the main thread when the question has graded examples to search', async () => {
    await grader.addExamples([
      {
        questionId: 'q4',
        answer: 'Eager mode runs each operation at once; graph mode traces a tf.function into a graph.',
        score: 4,
      },
    ]);
    vi.mocked(tokenize).mockClear();
    const answer = `${DISTINCT_UNKNOWN_WORDS.slice(0, 19_000)} eager mode runs ops at once`;
    const grade = await grader.grade({ questionId: 'q4', answer });
    expect(grade.examples).toHaveLength(1);
    expect(tokenizedOnMainThread(answer)).toBe(false);
  }, 60_000);
});
