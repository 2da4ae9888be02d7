/**
 * How much a word says, from its frequency rank alone: an idf proxy (Zipf: frequency ≈ 1/rank),
 * so no corpus statistics need to ship. Common words approach 0, words the vocabulary lacks
 * (tool names, jargon) weigh 1.
 */
const RANK_SCALE = 100;
const FLOOR = 0.05;

export function termWeight(rank: number, vocabularySize: number): number {
  const weight = Math.log1p(rank / RANK_SCALE) / Math.log1p(vocabularySize / RANK_SCALE);
  return Math.min(1, Math.max(FLOOR, weight));
}
