import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { createThreadedScorer } from '../../src/grading/local-scorer/index.js';
import { distinctUnknownWords } from '../helpers/random-letters.js';
import { createTestGrader } from '../helpers/test-grader.js';

// The server scores local grades on a worker thread: the grades must be the ones the main thread gives.
const inThread = createTestGrader();
const onWorker = createTestGrader({}, { scoringThreads: 1 });
afterAll(() => onWorker.grader.close());

describe('local grades scored on a worker thread', () => {
  it.each([
    [
      'a good answer',
      'Eager mode runs every op as soon as it is called, so I can debug with print. Graph mode traces the function with tf.function into a graph for production.',
    ],
    [
      'an answer to another question (the off-topic guard scores it there too)',
      'Use dropout, early stopping and data augmentation to stop a Keras model from overfitting.',
    ],
    ['a 20,000-letter word', 'x'.repeat(20_000)],
    ['20,000 characters of distinct unknown words (which the off-topic guard embeds)', distinctUnknownWords()],
  ])(
    'equal those of the main thread: %s',
    async (_name, answer) => {
      const [expected, actual] = await Promise.all([
        inThread.grader.grade({ questionId: 'q4', answer }),
        onWorker.grader.grade({ questionId: 'q4', answer }),
      ]);
      expect(gradeSchema.parse(actual)).toEqual(expected);
    },
    60_000,
  );
});

describe('local embeddings computed on a scoring thread', () => {
  it('equal those of the main thread', async () => {
    const embeddings = new LocalEmbeddings({ vectors: WordVectors.open(DEFAULT_PATHS.vectorsPath) });
    const threaded = createThreadedScorer({ ...DEFAULT_PATHS, threads: 2 });
    try {
      const texts = [
        'Eager mode runs every op at once; graph mode traces a tf.function.',
        'the of and', // only stopwords
        'tensorflw kubernets', // typos and unknown words
        '',
        distinctUnknownWords(),
      ];
      for (const text of texts) expect(await threaded.embed(text)).toEqual(embeddings.embedText(text));
    } finally {
      await threaded.close();
    }
  }, 60_000);
});
