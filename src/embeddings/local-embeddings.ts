import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { tokenize } from '../text/tokenize.js';
import { termWeight } from './term-weight.js';
import { normalize, type WordVectors } from './word-vectors.js';

export interface LocalEmbeddingsConfig extends EmbeddingsParams {
  vectors: WordVectors;
}

/**
 * Offline sentence embeddings: the idf-weighted mean of GloVe word vectors (stopwords left out
 * unless the text has nothing else), unit length. Behind LangChain's Embeddings interface so the
 * HNSWLib store and the pipeline treat it exactly like OpenAIEmbeddings.
 */
export class LocalEmbeddings extends Embeddings {
  static readonly id = 'local-glove-100d';
  readonly vectors: WordVectors;

  constructor({ vectors, ...params }: LocalEmbeddingsConfig) {
    super(params);
    this.vectors = vectors;
  }

  embedText(text: string): Float32Array {
    const tokens = tokenize(text);
    const content = tokens.filter((token) => !token.isStopword);
    const sum = new Float32Array(this.vectors.dimensions);
    for (const token of content.length > 0 ? content : tokens) {
      const entry = this.vectors.entry(token.word);
      const weight = termWeight(entry.rank, this.vectors.count);
      for (let dimension = 0; dimension < sum.length; dimension += 1) sum[dimension] += weight * entry.vector[dimension];
    }
    return normalize(sum);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => Array.from(this.embedText(document)));
  }

  async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedText(document));
  }
}
