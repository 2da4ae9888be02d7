import type { WordVectors } from '../embeddings/word-vectors.js';
import { alignWords, type AlignmentSettings, type WordMatch } from '../similarity/alignment.js';
import { analyzeText, type ContentWord } from '../similarity/analyzed-text.js';
import { Lexicon } from '../similarity/lexicon.js';
import { SimilarityTable } from '../similarity/similarity-table.js';
import type { TextSimilarity } from '../similarity/text-similarity.js';
import { tokenize } from '../text/tokenize.js';

const SETTINGS: AlignmentSettings = { similarityFloor: 0.5, negationPenalty: 1 };
const MAX_CACHED = 5_000;
/**
 * How much more the query's words count than the bank question's (F-beta's β²): an interviewer
 * types a few words of a long question ("dynamo vs postgres"), so how much of what they typed the
 * question holds says more than how much of the question they typed.
 */
const PRECISION_EMPHASIS = 0.25;
/**
 * What a query word the bank question lacks earns when the entry's reference answer or key points
 * hold it ("circuit breaker" for q11, whose question says "resilient integration patterns"): half,
 * since a reference names tools an unrelated question may ask about ("what is docker").
 */
const DETAIL_SHARE = 0.5;
/**
 * Words that frame a question rather than say what it is about ("tell me about…", "walk me through
 * how you would…", "what's your approach to…"): an interviewer's phrasing and the bank's differ
 * most in these, so they count for nothing on either side.
 */
const FRAMING_WORDS: ReadonlySet<string> = new Set(
  `tell telling walk walking explain explaining describe describing discuss discussing talk talking share give example
  examples approach think thoughts opinion take use using used make making get getting go going deal dealing way ways
  thing things stuff something really actually basically kind sort please quick quickly briefly question questions
  say said time times would could`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * How alike a question as asked and a bank question are, 0–1, for finding the one from the other.
 * Word alignment as in createTextSimilarity (same stem, or near in GloVe space), with two changes
 * for short, casual queries:
 * - each word counts by how much it says *within the bank* as well as in English: a word of many
 *   bank questions ("python", "production", "model") tells them apart less than one of a single
 *   question ("overfitting", "langchain"), and a word of none ("decorators", "secrets") weighs
 *   fully, so an unrelated question's words keep it away from every entry;
 * - precision (the query's share the bank question covers, or in part its reference answer and key
 *   points: `detailsOf`) counts four times recall, and recall is the mean of the whole question's
 *   and its best-covered sentence's.
 */
export function createQuestionSimilarity(
  vectors: WordVectors,
  bankQuestions: readonly string[],
  detailsOf: (bankQuestion: string) => string = () => '',
): TextSimilarity {
  const questionsWithStem = new Map<string, number>();
  for (const question of bankQuestions) {
    for (const stem of new Set(
      tokenize(question)
        .filter((token) => !token.isStopword)
        .map((token) => token.stem),
    )) {
      questionsWithStem.set(stem, (questionsWithStem.get(stem) ?? 0) + 1);
    }
  }
  const total = bankQuestions.length;
  // Smoothed idf over the bank, 0–1: a stem of no question 1, of every question about 0.
  const distinctiveness = (stem: string) =>
    Math.log((total + 1) / ((questionsWithStem.get(stem) ?? 0) + 0.5)) / Math.log((total + 1) / 0.5);

  const cache = new Map<string, { words: readonly ContentWord[]; weights: readonly number[]; lexicon: Lexicon }>();
  const analyzed = (text: string) => {
    let result = cache.get(text);
    if (!result) {
      if (cache.size >= MAX_CACHED) cache.clear();
      const lexicon = new Lexicon();
      const words = analyzeText(text, { vectors, questionStems: new Set(), questionDemotion: 1, lexicon }).words.filter(
        (word) => !FRAMING_WORDS.has(word.token.word),
      );
      result = { words, weights: words.map((word) => word.weight * distinctiveness(word.token.stem)), lexicon };
      cache.set(text, result);
    }
    return result;
  };
  const weightedCoverage = (weights: readonly number[], matches: readonly WordMatch[]) => {
    let covered = 0;
    let sum = 0;
    weights.forEach((weight, index) => {
      covered += weight * matches[index].similarity;
      sum += weight;
    });
    return sum > 0 ? covered / sum : 0;
  };
  return (asked, bankQuestion) => {
    const query = analyzed(asked);
    const target = analyzed(bankQuestion);
    const table = new SimilarityTable(query.lexicon, target.lexicon, SETTINGS);
    const targetMatches = alignWords(target.words, query.words, table.columnToRow);
    const whole = weightedCoverage(target.weights, targetMatches);
    // The bank question's best-covered sentence: an interviewer types the gist, mostly one sentence of it.
    let bestSentence = 0;
    for (const segment of new Set(target.words.map((word) => word.token.segment))) {
      const inSegment = target.words.map((word) => word.token.segment === segment);
      bestSentence = Math.max(
        bestSentence,
        weightedCoverage(
          target.weights.map((weight, index) => (inSegment[index] ? weight : 0)),
          targetMatches,
        ),
      );
    }
    const recall = (whole + bestSentence) / 2;
    const inQuestion = alignWords(query.words, target.words, table.rowToColumn);
    let precision = weightedCoverage(query.weights, inQuestion);
    const detailText = detailsOf(bankQuestion);
    if (detailText) {
      const details = analyzed(detailText);
      const inDetails = alignWords(
        query.words,
        details.words,
        new SimilarityTable(query.lexicon, details.lexicon, SETTINGS).rowToColumn,
      );
      // A word the bank question lacks but its reference answer or key points hold counts in part.
      const combined = inQuestion.map((match, index) => ({
        ...match,
        similarity: Math.max(match.similarity, DETAIL_SHARE * inDetails[index].similarity),
      }));
      precision = weightedCoverage(query.weights, combined);
    }
    if (recall + precision === 0) return 0;
    return ((1 + PRECISION_EMPHASIS) * recall * precision) / (PRECISION_EMPHASIS * precision + recall);
  };
}
