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
export interface TableSettings extends AlignmentSettings {
  /**
   * A second, lower floor for a looser reading of the same pairs (near synonyms count a little),
   * with its own negation penalty; read through the `loose…` functions.
   */
  loose?: AlignmentSettings;
}

export class SimilarityTable {
  /** One array per floor (the main one, then the loose one), rows × columns each. */
  private readonly layers: Float32Array[];
  private readonly columns: number;
  /** Left word from the rows lexicon, right word from the columns lexicon. */
  readonly rowToColumn: WordSimilarity;
  /** Left word from the columns lexicon, right word from the rows lexicon. */
  readonly columnToRow: WordSimilarity;
  /** As rowToColumn and columnToRow, under the loose settings (the main ones when there are none). */
  readonly looseRowToColumn: WordSimilarity;
  readonly looseColumnToRow: WordSimilarity;
  /** The main floor with negation ignored: how well two words match whatever either side says of them. */
  readonly plainColumnToRow: WordSimilarity;

  constructor(rows: Lexicon, columns: Lexicon, settings: TableSettings) {
    this.columns = columns.size;
    const layerSettings = settings.loose ? [settings, settings.loose] : [settings];
    const floors = layerSettings.map((layer) => layer.similarityFloor);
    this.layers = floors.map(() => new Float32Array(rows.size * columns.size));
    const rowVectors = rows.packedVectors();
    const columnVectors = columns.packedVectors();
    const dimensions = rows.size === 0 ? 0 : rowVectors.length / rows.size;
    const rowLength = this.columns * floors.length;
    const floorsKey = floors.join(' ');
    if (columns.rowsFloors !== floorsKey) {
      columns.rowsByWord.clear();
      columns.rowsFloors = floorsKey;
    }
    for (let row = 0; row < rows.size; row += 1) {
      const remembered = columns.rowsByWord.get(rows.words[row]);
      if (remembered) {
        this.layers.forEach((layer, index) =>
          layer.set(remembered.subarray(index * this.columns, (index + 1) * this.columns), row * this.columns),
        );
        continue;
      }
      const rowOffset = row * dimensions;
      const rowStem = rows.stemIds[row];
      for (let column = 0; column < columns.size; column += 1) {
        const at = row * this.columns + column;
        if (rowStem === columns.stemIds[column]) {
          for (const layer of this.layers) layer[at] = 1;
          continue;
        }
        if (rows.isNumber[row] || columns.isNumber[column]) continue;
        const columnOffset = column * dimensions;
        let raw = 0;
        for (let dimension = 0; dimension < dimensions; dimension += 1)
          raw += rowVectors[rowOffset + dimension] * columnVectors[columnOffset + dimension];
        // Plain loops, no closures: this runs for every word pair of every answer.
        let prefixShared: boolean | undefined;
        for (let index = 0; index < floors.length; index += 1) {
          const floor = floors[index];
          let similarity = raw <= floor ? 0 : (raw - floor) / (1 - floor);
          if (
            similarity < SHARED_PREFIX_SIMILARITY &&
            (prefixShared ??= sharePrefix(rows.words[row], columns.words[column]))
          ) {
            similarity = SHARED_PREFIX_SIMILARITY;
          }
          this.layers[index][at] = similarity;
        }
      }
      if (columns.rowsByWord.size < REMEMBERED_ROWS) {
        const copy = new Float32Array(rowLength);
        this.layers.forEach((layer, index) =>
          copy.set(layer.subarray(row * this.columns, (row + 1) * this.columns), index * this.columns),
        );
        columns.rowsByWord.set(rows.words[row], copy);
      }
    }
    const reader =
      (layer: Float32Array, penalty: number): WordSimilarity =>
      (left, right) => {
        const similarity = layer[left.slot * this.columns + right.slot];
        return left.token.negated === right.token.negated ? similarity : similarity * penalty;
      };
    this.rowToColumn = reader(this.layers[0], settings.negationPenalty);
    this.columnToRow = (left, right) => this.rowToColumn(right, left);
    this.looseRowToColumn = reader(
      this.layers[this.layers.length - 1],
      layerSettings[layerSettings.length - 1].negationPenalty,
    );
    this.looseColumnToRow = (left, right) => this.looseRowToColumn(right, left);
    this.plainColumnToRow = (left, right) => this.layers[0][right.slot * this.columns + left.slot];
  }
}
