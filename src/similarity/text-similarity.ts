import type { WordVectors } from '../embeddings/word-vectors.js';
import { alignWords, coverage, type AlignmentSettings } from './alignment.js';
import { analyzeText, type AnalyzedText } from './analyzed-text.js';
import { Lexicon } from './lexicon.js';
import { SimilarityTable } from './similarity-table.js';

const SETTINGS: AlignmentSettings = { similarityFloor: 0.5, negationPenalty: 1 };
const MAX_CACHED = 5_000;

/**
 * How alike two texts are, 0–1: the F1 (or the target's recall) of idf-weighted word alignment
 * (same stem, or near in GloVe space). Averaged word vectors put any two technical questions
 * near 0.8; this puts paraphrases of one question around 0.45–0.85 and unrelated ones below 0.4.
 */
export type TextSimilarity = (query: string, target: string) => number;

export function createTextSimilarity(vectors: WordVectors, measure: 'f1' | 'recall' = 'f1'): TextSimilarity {
  const cache = new Map<string, { text: AnalyzedText; lexicon: Lexicon }>();
  const analyzed = (text: string) => {
    let result = cache.get(text);
    if (!result) {
      if (cache.size >= MAX_CACHED) cache.clear();
      const lexicon = new Lexicon();
      result = {
        text: analyzeText(text, { vectors, questionStems: new Set(), questionDemotion: 1, lexicon }),
        lexicon,
      };
      cache.set(text, result);
    }
    return result;
  };
  return (left, right) => {
    const query = analyzed(left);
    const target = analyzed(right);
    const table = new SimilarityTable(query.lexicon, target.lexicon, SETTINGS);
    const a = query.text;
    const b = target.text;
    const recall = coverage(b.words, alignWords(b.words, a.words, table.columnToRow));
    // An answer is long and a reference short: there, how much of the target it covers is what counts.
    if (measure === 'recall') return recall;
    const precision = coverage(a.words, alignWords(a.words, b.words, table.rowToColumn));
    return recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  };
}
