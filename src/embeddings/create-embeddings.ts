import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { AnswerkeyConfig } from '../config/config.js';
import { LocalEmbeddings, type LocalEmbeddingsConfig } from './local-embeddings.js';
import type { WordVectors } from './word-vectors.js';

export interface EmbedderChoice {
  embeddings: EmbeddingsInterface;
  /** Names the model; recorded in the index manifest so another model's index counts as stale. */
  id: string;
}

/**
 * The configured embedder: GloVe offline, or any OpenAI-compatible embeddings endpoint. The
 * OpenAI client is imported only when chosen: loading it costs half a second of start-up.
 * `embedElsewhere`: where the GloVe embedder computes its vectors (the server's scoring threads).
 */
export async function createEmbeddings(
  config: AnswerkeyConfig,
  vectors: () => WordVectors,
  embedElsewhere?: LocalEmbeddingsConfig['embedElsewhere'],
): Promise<EmbedderChoice> {
  if (config.embedder === 'openai') {
    const { OpenAIEmbeddings } = await import('@langchain/openai');
    const model = config.openai.embeddingModel;
    return {
      embeddings: new OpenAIEmbeddings({
        model,
        apiKey: config.openai.apiKey,
        configuration: config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : undefined,
      }),
      id: `openai-${model.replace(/[^a-zA-Z0-9._-]/g, '_')}`,
    };
  }
  return { embeddings: new LocalEmbeddings({ vectors: vectors(), embedElsewhere }), id: LocalEmbeddings.id };
}
