import type { AlignmentSettings, WordSimilarity } from './alignment.js';
import type { Lexicon } from './lexicon.js';

/** Rows remembered per lexicon: about 1 kB each for a bank question's reference side. */
const REMEMBERED_ROWS = 4_000;

/** Credit for two forms of one word the stemmer keeps apart ("reused" / "reusability"). */
const SHARED_PREFIX_SIMILARITY = 0.7;

function sharePrefix(left: string, right: string): boolean {
  const shorter = Math.min(left.length, right.length);
  if (shorter < 4 || left[0] !== right[0]) return false;
  let shared = 0;
  while (shared < shorter && left[shared] === right[shared]) shared += 1;
  return shared >= 5 || (shared >= 4 && shorter <= 6);
}

/**
 * Similarity, 0–1, of every word of one lexicon with every word of another, computed once: same
 * stem 1, near in GloVe space partly, unrelated 0. An answer is compared with its reference, key
 * points and their alternatives, which repeat words; the table makes each pair cost one lookup.
 */
export class SimilarityTable {
  private readonly values: Float32Array;
  private readonly columns: number;
  /** Left word from the rows lexicon, right word from the columns lexicon. */
  readonly rowToColumn: WordSimilarity;
  /** Left word from the columns lexicon, right word from the rows lexicon. */
  readonly columnToRow: WordSimilarity;

  constructor(rows: Lexicon, columns: Lexicon, settings: AlignmentSettings) {
    this.columns = columns.size;
    this.values = new Float32Array(rows.size * columns.size);
    const floor = settings.similarityFloor;
    const rowVectors = rows.packedVectors();
    const columnVectors = columns.packedVectors();
    const dimensions = rows.size === 0 ? 0 : rowVectors.length / rows.size;
    for (let row = 0; row < rows.size; row += 1) {
      const remembered = columns.rowsByWord.get(rows.words[row]);
      if (remembered) {
        this.values.set(remembered, row * this.columns);
        continue;
      }
      const rowOffset = row * dimensions;
      const rowStem = rows.stemIds[row];
      for (let column = 0; column < columns.size; column += 1) {
        let similarity: number;
        if (rowStem === columns.stemIds[column]) similarity = 1;
        else if (rows.isNumber[row] || columns.isNumber[column]) similarity = 0;
        else {
          const columnOffset = column * dimensions;
          let raw = 0;
          for (let dimension = 0; dimension < dimensions; dimension += 1) raw += rowVectors[rowOffset + dimension] * columnVectors[columnOffset + dimension];
          similarity = raw <= floor ? 0 : (raw - floor) / (1 - floor);
          if (similarity < SHARED_PREFIX_SIMILARITY && sharePrefix(rows.words[row], columns.words[column])) similarity = SHARED_PREFIX_SIMILARITY;
        }
        this.values[row * this.columns + column] = similarity;
      }
      if (columns.rowsByWord.size < REMEMBERED_ROWS) {
        columns.rowsByWord.set(rows.words[row], this.values.slice(row * this.columns, (row + 1) * this.columns));
      }
    }
    const penalty = settings.negationPenalty;
    this.rowToColumn = (left, right) => {
      const similarity = this.values[left.slot * this.columns + right.slot];
      return left.token.negated === right.token.negated ? similarity : similarity * penalty;
    };
    this.columnToRow = (left, right) => this.rowToColumn(right, left);
  }
}
