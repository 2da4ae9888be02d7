import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** Vectors kept with what they embed (graded examples' rows in PostgreSQL), for one embedder. */
export interface VectorShelf {
  /** The vectors kept for any of these texts, by text. */
  find(texts: readonly string[]): Promise<Map<string, number[]>>;
  /** Vectors just computed, kept for whoever embeds the same texts next (texts it does not keep are ignored). */
  keep(vectors: ReadonlyMap<string, number[]>): Promise<void>;
}

/**
 * `embeddings`, but a document whose vector is on the shelf is not embedded again, and the vectors
 * it computes go on the shelf: a worker or replica that builds its index after another finds the
 * examples' vectors there. The shelf is a saving, never a requirement: when it cannot be read or
 * written, everything is embedded as usual (and `onShelfError` is told).
 */
export function withStoredVectors(
  embeddings: EmbeddingsInterface,
  shelf: VectorShelf,
  onShelfError: (error: unknown) => void = () => undefined,
): EmbeddingsInterface {
  return {
    embedQuery: (text) => embeddings.embedQuery(text),
    async embedDocuments(texts) {
      const found = await shelf.find(texts).catch((error: unknown) => {
        onShelfError(error);
        return new Map<string, number[]>();
      });
      const missing = [...new Set(texts.filter((text) => !found.has(text)))];
      const vectors = missing.length === 0 ? [] : await embeddings.embedDocuments(missing);
      const computed = new Map(missing.map((text, index) => [text, vectors[index]]));
      if (computed.size > 0) await shelf.keep(computed).catch(onShelfError);
      return texts.map((text) => found.get(text) ?? computed.get(text) ?? []);
    },
  };
}
