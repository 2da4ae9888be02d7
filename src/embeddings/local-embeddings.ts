import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { tokenize } from '../text/tokenize.js';
import { termWeight } from './term-weight.js';
import { normalize, type WordVectors } from './word-vectors.js';

export interface LocalEmbeddingsConfig extends EmbeddingsParams {
  vectors: WordVectors;
  /**
   * Where embedText runs instead of this thread, on another copy of the same vectors (the server's
   * scoring threads): the same vector comes back. A 20,000-character answer of distinct unknown words
   * takes tens of milliseconds to embed, which on the server's main thread every request would wait for.
   */
  embedElsewhere?: (text: string) => Promise<Float32Array>;
}

/**
 * Offline sentence embeddings: the idf-weighted mean of GloVe word vectors (stopwords left out
 * unless the text has nothing else), unit length. Behind LangChain's Embeddings interface so the
 * HNSWLib store and the pipeline treat it exactly like OpenAIEmbeddings.
 */
export class LocalEmbeddings extends Embeddings {
  static readonly id = 'local-glove-100d';
  readonly vectors: WordVectors;
  private readonly embedElsewhere: ((text: string) => Promise<Float32Array>) | undefined;

  constructor({ vectors, embedElsewhere, ...params }: LocalEmbeddingsConfig) {
    super(params);
    this.vectors = vectors;
    this.embedElsewhere = embedElsewhere;
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
    return Promise.all(documents.map((document) => this.embedQuery(document)));
  }

  async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedElsewhere ? await this.embedElsewhere(document) : this.embedText(document));
  }
}
