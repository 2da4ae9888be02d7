import type { WordEntry } from '../embeddings/word-vectors.js';
import type { Token } from '../text/tokenize.js';

/** Stems as small integers, shared by every lexicon, so comparing two stems is comparing numbers. */
const stemIds = new Map<string, number>();

function stemId(stem: string): number {
  let id = stemIds.get(stem);
  if (id === undefined) {
    id = stemIds.size;
    stemIds.set(stem, id);
  }
  return id;
}

/**
 * The distinct words of one side of a comparison, each with a slot number, so that word-pair
 * similarities can be computed once into a table and read by slot.
 */
export class Lexicon {
  readonly entries: WordEntry[] = [];
  readonly stemIds: number[] = [];
  readonly words: string[] = [];
  /** Numbers match only themselves: GloVe puts "one" near "two" and "number", which mean otherwise. */
  readonly isNumber: boolean[] = [];
  private readonly slots = new Map<string, number>();
  private packed: Float32Array | undefined;
  /**
   * Similarities of other words to every word of this lexicon, by that word: answers to one
   * question share most of their vocabulary, so a reference's lexicon sees the same rows again.
   */
  readonly rowsByWord = new Map<string, Float32Array>();
  /** The similarity floors the remembered rows were computed with; other floors start afresh. */
  rowsFloors = '';

  slotOf(token: Token, entry: WordEntry): number {
    let slot = this.slots.get(token.word);
    if (slot === undefined) {
      slot = this.entries.length;
      this.slots.set(token.word, slot);
      this.entries.push(entry);
      this.stemIds.push(stemId(token.stem));
      this.words.push(token.word);
      this.isNumber.push(/^\d+$/.test(token.stem));
      this.packed = undefined;
      this.rowsByWord.clear();
    }
    return slot;
  }

  get size(): number {
    return this.entries.length;
  }

  /** All vectors back to back, slot after slot: one contiguous block for the dot products. */
  packedVectors(): Float32Array {
    if (!this.packed) {
      const dimensions = this.entries[0]?.vector.length ?? 0;
      this.packed = new Float32Array(this.entries.length * dimensions);
      this.entries.forEach((entry, slot) => this.packed?.set(entry.vector, slot * dimensions));
    }
    return this.packed;
  }
}
