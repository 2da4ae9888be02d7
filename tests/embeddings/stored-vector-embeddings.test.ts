import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { withStoredVectors, type VectorShelf } from '../../src/embeddings/stored-vector-embeddings.js';

/** Embeds a text as [its length, its first letter's code], and records what it was asked to embed. */
function countingEmbeddings(): EmbeddingsInterface & { embedded: string[] } {
  const embedded: string[] = [];
  const vectorOf = (text: string) => [text.length, text.charCodeAt(0)];
  return {
    embedded,
    async embedQuery(text) {
      embedded.push(text);
      return vectorOf(text);
    },
    async embedDocuments(texts) {
      embedded.push(...texts);
      return texts.map(vectorOf);
    },
  };
}

/** A shelf in memory that keeps only `keeps` texts, as the store keeps only its examples' answers. */
function memoryShelf(stored: Record<string, number[]>, keeps: readonly string[]): VectorShelf & { kept: string[] } {
  const shelf = new Map(Object.entries(stored));
  const kept: string[] = [];
  return {
    kept,
    async find(texts) {
      return new Map(texts.flatMap((text) => (shelf.has(text) ? [[text, shelf.get(text) ?? []] as const] : [])));
    },
    async keep(vectors) {
      for (const [text, vector] of vectors)
        if (keeps.includes(text)) {
          shelf.set(text, vector);
          kept.push(text);
        }
    },
  };
}

describe('embeddings with stored vectors', () => {
  it('takes the vectors on the shelf, embeds only the rest (each text once), and keeps what it computed', async () => {
    const inner = countingEmbeddings();
    const shelf = memoryShelf({ stored: [9, 9] }, ['new answer']);
    const embeddings = withStoredVectors(inner, shelf);
    const vectors = await embeddings.embedDocuments(['stored', 'new answer', 'bank text', 'new answer']);
    expect(vectors).toEqual([[9, 9], [10, 110], [9, 98], [10, 110]]);
    expect(inner.embedded).toEqual(['new answer', 'bank text']);
    expect(shelf.kept).toEqual(['new answer']);
    // The next build (another replica's) finds it there.
    const again = countingEmbeddings();
    expect(await withStoredVectors(again, shelf).embedDocuments(['new answer', 'stored'])).toEqual([[10, 110], [9, 9]]);
    expect(again.embedded).toEqual([]);
  });

  it('embeds queries as ever, never from the shelf', async () => {
    const inner = countingEmbeddings();
    const embeddings = withStoredVectors(inner, memoryShelf({ stored: [9, 9] }, []));
    expect(await embeddings.embedQuery('stored')).toEqual([6, 115]);
    expect(inner.embedded).toEqual(['stored']);
  });

  it('embeds everything when the shelf cannot be read, and returns the vectors when it cannot keep them, saying so', async () => {
    const inner = countingEmbeddings();
    const errors: unknown[] = [];
    const broken: VectorShelf = {
      find: async () => Promise.reject(new Error('the database went away')),
      keep: async () => Promise.reject(new Error('still away')),
    };
    const vectors = await withStoredVectors(inner, broken, (error) => errors.push(error)).embedDocuments(['a', 'bb']);
    expect(vectors).toEqual([[1, 97], [2, 98]]);
    expect(inner.embedded).toEqual(['a', 'bb']);
    expect(errors.map((error) => (error as Error).message)).toEqual(['the database went away', 'still away']);
  });
});
