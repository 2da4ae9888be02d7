import { parentPort, workerData } from 'node:worker_threads';
import { WordVectors } from '../../embeddings/word-vectors.js';
import type { ScoringInput } from '../scorer.js';
import { createLocalScorer } from './local-scorer.js';
import { loadLocalScorerWeights } from './local-scorer-weights.js';

/** A worker thread's side of the threaded scorer: the local scorer, on its own copy of the vectors. */
const { vectorsPath, weightsPath } = workerData as { vectorsPath: string; weightsPath: string };
const scorer = createLocalScorer({
  vectors: WordVectors.open(vectorsPath),
  weights: loadLocalScorerWeights(weightsPath),
});

parentPort?.on('message', ({ id, input }: { id: number; input: ScoringInput }) => {
  try {
    parentPort?.postMessage({ id, grade: scorer.assess(input).grade });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
