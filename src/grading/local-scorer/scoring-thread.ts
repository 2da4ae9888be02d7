import { parentPort, workerData } from 'node:worker_threads';
import { LocalEmbeddings } from '../../embeddings/local-embeddings.js';
import { WordVectors } from '../../embeddings/word-vectors.js';
import type { Grade } from '../grade-schema.js';
import type { ScoringInput } from '../scorer.js';
import { createLocalScorer } from './local-scorer.js';
import { loadLocalScorerWeights } from './local-scorer-weights.js';

/** What the threaded scorer asks of a thread: a grade, or the local embedding of a text. */
export type ThreadRequest = { input: ScoringInput } | { embed: string };

/** What a thread answers: the grade or the vector asked for. */
export interface ThreadReply {
  grade?: Grade;
  vector?: Float32Array;
}

/**
 * A worker thread's side of the threaded scorer: the local scorer, on its own copy of the vectors,
 * and the local embeddings on the same copy (the off-topic guard's and the examples' index searches).
 */
const { vectorsPath, weightsPath } = workerData as { vectorsPath: string; weightsPath: string };
const vectors = WordVectors.open(vectorsPath);
const scorer = createLocalScorer({ vectors, weights: loadLocalScorerWeights(weightsPath) });
const embeddings = new LocalEmbeddings({ vectors });

parentPort?.on('message', ({ id, ...request }: ThreadRequest & { id: number }) => {
  try {
    if ('embed' in request) {
      const vector = embeddings.embedText(request.embed);
      // A vector of its own (embedText sums into a new one): handed over, not copied.
      parentPort?.postMessage({ id, vector }, [vector.buffer as ArrayBuffer]);
    } else parentPort?.postMessage({ id, grade: scorer.assess(request.input).grade });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
