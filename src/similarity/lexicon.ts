import type { WordEntry } from '../embeddings/word-vectors.js';
import type { Token } from '../text/tokenize.js';

/**
 * The distinct words of one side of a comparison, each with a slot number, so that word-pair
 * similarities can be computed once into a table and read by slot.
 */
export class Lexicon {
  readonly entries: WordEntry[] = [];
  readonly stems: string[] = [];
  readonly words: string[] = [];
  private readonly slots = new Map<string, number>();

  slotOf(token: Token, entry: WordEntry): number {
    let slot = this.slots.get(token.word);
    if (slot === undefined) {
      slot = this.entries.length;
      this.slots.set(token.word, slot);
      this.entries.push(entry);
      this.stems.push(token.stem);
      this.words.push(token.word);
    }
    return slot;
  }

  get size(): number {
    return this.entries.length;
  }
}
