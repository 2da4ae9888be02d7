import type { Token } from './tokenize.js';

/** Letter trigrams of the given words, each padded ("<db>" → "<db", "db>"). */
export function letterTrigrams(tokens: readonly Token[]): Set<string> {
  const trigrams = new Set<string>();
  for (const token of tokens) {
    const padded = `<${token.word}>`;
    for (let position = 0; position + 3 <= padded.length; position += 1)
      trigrams.add(padded.slice(position, position + 3));
  }
  return trigrams;
}

/** Share of `expected` trigrams that `found` has: spelling- and morphology-tolerant word overlap. */
export function trigramCoverage(expected: ReadonlySet<string>, found: ReadonlySet<string>): number {
  if (expected.size === 0) return 0;
  let shared = 0;
  for (const trigram of expected) if (found.has(trigram)) shared += 1;
  return shared / expected.size;
}
