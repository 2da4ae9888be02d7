import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { MAX_WORD_LENGTH, WordVectors } from '../../src/embeddings/word-vectors.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { createTestGrader } from '../helpers/test-grader.js';
import { randomLetters } from '../helpers/random-letters.js';

// Behaviour only: how long these take is measured by bench/hostile-answers.mjs.
const vectors = WordVectors.open(DEFAULT_PATHS.vectorsPath);
afterAll(() => vectors.close());
const { grader } = createTestGrader();

describe('words longer than MAX_WORD_LENGTH letters', () => {
  it('are neither corrected nor given a trigram vector: unknown, matching nothing by meaning', () => {
    // One letter from a common word and one letter over the cap: a correction would find the word.
    const word = 'internationalization'.repeat(2).slice(0, MAX_WORD_LENGTH) + 'x';
    const entry = vectors.entry(word);
    expect(entry.known).toBe(false);
    expect(entry.rank).toBe(vectors.count);
    expect(Array.from(entry.vector).every((value) => value === 0)).toBe(true);
  });

  it('leave shorter typos corrected as before', () => {
    expect(vectors.entry('developmnt')).toMatchObject({ known: true, rank: vectors.rankOf('development') });
  });
});

describe('hostile answers still get a valid grade', () => {
  const GOOD =
    'Eager mode runs every op as soon as it is called, so I can debug with print. Graph mode traces the function with tf.function into a graph.';

  it.each([
    ['a 20,000-letter word', randomLetters(20_000)],
    ['20,000 characters of punctuation', '.,;:!?-()[]'.repeat(1_819).slice(0, 20_000)],
    ['a 20,000-letter word after a good answer', `${GOOD} ${randomLetters(19_000)}`],
  ])('%s', async (_name, answer) => {
    const grade = gradeSchema.parse(await grader.grade({ questionId: 'q4', answer }));
    expect(grade.normalizedScore).toBeLessThanOrEqual(1);
    for (const keyPoint of grade.keyPoints) if (keyPoint.evidence !== null) expect(answer).toContain(keyPoint.evidence);
  });

  it('quotes evidence from an answer of thousands of short runs of key point words (only the best runs are tried)', async () => {
    const answer = `${GOOD} ${'eager, graph, '.repeat(1_400)}`.slice(0, 20_000);
    const grade = gradeSchema.parse(await grader.grade({ questionId: 'q4', answer }));
    const quoted = grade.keyPoints.filter((keyPoint) => keyPoint.evidence !== null);
    expect(quoted.length).toBeGreaterThan(0);
    for (const keyPoint of quoted) expect(answer).toContain(keyPoint.evidence);
  });

  it('reads dismissals clause by clause in a long answer as in a short one', async () => {
    const short = 'Eager execution is useless, graph mode with tf.function is what you need.';
    const long = `${short} ${'It runs fine, I think. '.repeat(300)}`;
    const [shortGrade, longGrade] = await Promise.all(
      [short, long].map((answer) => grader.grade({ questionId: 'q4', answer })),
    );
    const statuses = (grade: typeof shortGrade) => grade.keyPoints.map((keyPoint) => keyPoint.status);
    expect(statuses(longGrade)).toEqual(statuses(shortGrade));
  });
});

describe('spelling correction', () => {
  it('stops at 23 letters, one past the longest common word, so it never misses a correction', () => {
    expect(vectors.entry('pricewaterhousecooperss')).toMatchObject({
      known: true,
      rank: vectors.rankOf('pricewaterhousecoopers'),
    });
  });
});
