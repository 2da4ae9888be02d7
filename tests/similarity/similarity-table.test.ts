import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { analyzeText } from '../../src/similarity/analyzed-text.js';
import { Lexicon } from '../../src/similarity/lexicon.js';
import { SimilarityTable } from '../../src/similarity/similarity-table.js';

const vectors = WordVectors.open(resolveConfig({}, {}).vectorsPath);

function side(text: string) {
  const lexicon = new Lexicon();
  return { lexicon, text: analyzeText(text, { vectors, questionStems: new Set(), questionDemotion: 1, lexicon }) };
}

const valuesOf = (table: SimilarityTable, rows: ReturnType<typeof side>, columns: ReturnType<typeof side>) =>
  rows.text.words.flatMap((row) =>
    columns.text.words.map((column) => [table.rowToColumn(row, column), table.looseRowToColumn(row, column)]),
  );

describe('the similarity table', () => {
  const answer = side('The queue buffers bursts of traffic so consumers catch up later.');

  it('gives the same numbers from remembered rows as from fresh ones, whatever floors a lexicon saw first', () => {
    const reference = side('A queue absorbs spikes of load by buffering work.');
    const settings = [
      { similarityFloor: 0.6, negationPenalty: 0.2 },
      { similarityFloor: 0.4, negationPenalty: 0.2 },
      { similarityFloor: 0.4, negationPenalty: 0.2, loose: { similarityFloor: 0, negationPenalty: 1 } },
    ];
    for (const current of settings) {
      // The reference lexicon has remembered rows from the previous settings; the fresh one has none.
      const reused = new SimilarityTable(answer.lexicon, reference.lexicon, current);
      const fresh = side('A queue absorbs spikes of load by buffering work.');
      const computed = new SimilarityTable(answer.lexicon, fresh.lexicon, current);
      expect(valuesOf(reused, answer, reference)).toEqual(valuesOf(computed, answer, fresh));
    }
  });

  it('reads near words more generously in the loose layer, and the same word as 1 in both', () => {
    const reference = side('A queue absorbs spikes of load.');
    const table = new SimilarityTable(answer.lexicon, reference.lexicon, {
      similarityFloor: 0.4,
      negationPenalty: 0.2,
      loose: { similarityFloor: 0, negationPenalty: 1 },
    });
    const word = (text: ReturnType<typeof side>, token: string) =>
      text.text.words.find((entry) => entry.token.word === token)!;
    expect(table.rowToColumn(word(answer, 'queue'), word(reference, 'queue'))).toBe(1);
    expect(table.looseRowToColumn(word(answer, 'queue'), word(reference, 'queue'))).toBe(1);
    const strict = table.rowToColumn(word(answer, 'bursts'), word(reference, 'spikes'));
    const loose = table.looseRowToColumn(word(answer, 'bursts'), word(reference, 'spikes'));
    expect(loose).toBeGreaterThan(strict);
  });
});
