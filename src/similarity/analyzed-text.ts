import { termWeight } from '../embeddings/term-weight.js';
import type { WordEntry, WordVectors } from '../embeddings/word-vectors.js';
import { tokenize, type Token } from '../text/tokenize.js';
import type { Lexicon } from './lexicon.js';

export interface ContentWord {
  readonly token: Token;
  readonly entry: WordEntry;
  /** idf-style weight, already demoted when the word comes from the question. */
  readonly weight: number;
  readonly fromQuestion: boolean;
  /** The word's place in the lexicon of its side of a comparison (see SimilarityTable). */
  readonly slot: number;
}

export interface AnalyzedText {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly words: readonly ContentWord[];
  readonly totalWeight: number;
}

export interface AnalysisContext {
  vectors: WordVectors;
  /** Stems of the question's content words; answers get no credit for repeating them. */
  questionStems: ReadonlySet<string>;
  questionDemotion: number;
  /** Where the words of this side of a comparison are collected. */
  lexicon: Lexicon;
}

export function questionStemsOf(question: string): Set<string> {
  return new Set(
    tokenize(question)
      .filter((token) => !token.isStopword)
      .map((token) => token.stem),
  );
}

export function analyzeText(text: string, context: AnalysisContext): AnalyzedText {
  const tokens = tokenize(text);
  const words: ContentWord[] = [];
  let totalWeight = 0;
  for (const token of tokens) {
    if (token.isStopword) continue;
    const entry = context.vectors.entry(token.word);
    const fromQuestion = context.questionStems.has(token.stem);
    const weight = termWeight(entry.rank, context.vectors.count) * (fromQuestion ? context.questionDemotion : 1);
    words.push({ token, entry, weight, fromQuestion, slot: context.lexicon.slotOf(token, entry) });
    totalWeight += weight;
  }
  return { text, tokens, words, totalWeight };
}
