import type { KeyPoint } from '../../rubrics/rubric-schema.js';
import type { KeyPointResult } from '../grade-schema.js';
import type { WordSimilarity } from '../../similarity/alignment.js';
import type { AnalyzedText, ContentWord } from '../../similarity/analyzed-text.js';

export interface PreparedKeyPoint {
  readonly keyPoint: KeyPoint;
  /** The key point's text and each accepted alternative, analysed once per rubric. */
  readonly variants: readonly AnalyzedText[];
}

export interface CoverageSettings {
  coveredAt: number;
  partialAt: number;
}

export interface KeyPointCoverage {
  result: KeyPointResult;
  /** Best weighted share of the key point's words found in one span of the answer, 0–1. */
  coverage: number;
  weight: number;
  /** The best quote for the point denies or dismisses it ("early stopping is useless"). */
  denied: boolean;
}

/** A word this close to a key point word, and not a common one, counts as evidence for it. */
const EVIDENCE_SIMILARITY = 0.7;
const EVIDENCE_MIN_WEIGHT = 0.25;
/** Evidence shorter than this many words is widened to its whole sentence or bullet. */
const SHORT_EVIDENCE_WORDS = 3;
/** A quote must make at least this share of `partialAt` of the key point on its own. */
const QUOTE_SUPPORT_SHARE = 0.5;
/** A key point word this close to a quoted word is made by the quote. */
const MATCHED_WORD_SIMILARITY = 0.5;
/** Key points of at most this many content words may be made by a single word ("by reference"). */
const SHORT_KEY_POINT_WORDS = 3;

interface SpanScore {
  coverage: number;
  firstSegment: number;
  lastSegment: number;
  evidenceWords: ContentWord[];
}

/** How much a word counts towards making a key point: its distinctive words ("EXPLAIN", "plan") more than the common ones around them ("read", "used"). */
function keyWordWeight(word: ContentWord): number {
  return word.weight ** 1.5;
}

/**
 * Scores one variant against every span of up to three adjacent segments (sentences, bullets,
 * clauses) of the answer, so a point counts only where the answer makes it in one place.
 */
function bestSpan(variant: AnalyzedText, answer: AnalyzedText, segmentCount: number, similarityOf: WordSimilarity): SpanScore {
  const best: SpanScore = { coverage: 0, firstSegment: 0, lastSegment: 0, evidenceWords: [] };
  const wordCount = variant.words.length;
  if (variant.totalWeight === 0 || answer.words.length === 0) return best;
  // bestBySegment[w * segmentCount + s]: how well segment s matches variant word w, and by which word.
  const bestBySegment = new Float64Array(wordCount * segmentCount);
  const partnerBySegment = new Array<ContentWord | undefined>(wordCount * segmentCount);
  const weights = variant.words.map(keyWordWeight);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  variant.words.forEach((word, wordIndex) => {
    for (const candidate of answer.words) {
      const slot = wordIndex * segmentCount + candidate.token.segment;
      const similarity = similarityOf(word, candidate);
      if (similarity > bestBySegment[slot]) {
        bestBySegment[slot] = similarity;
        partnerBySegment[slot] = candidate;
      }
    }
  });
  const spanBest = new Float64Array(wordCount);
  for (let first = 0; first < segmentCount; first += 1) {
    spanBest.fill(0);
    for (let last = first; last <= Math.min(first + MAX_SPAN_SEGMENTS - 1, segmentCount - 1); last += 1) {
      let covered = 0;
      for (let wordIndex = 0; wordIndex < wordCount; wordIndex += 1) {
        spanBest[wordIndex] = Math.max(spanBest[wordIndex], bestBySegment[wordIndex * segmentCount + last]);
        covered += weights[wordIndex] * spanBest[wordIndex];
      }
      const spanCoverage = totalWeight === 0 ? 0 : covered / totalWeight;
      // A longer span must earn its extra length.
      if (spanCoverage > best.coverage + 0.05 * (last - first)) {
        best.coverage = spanCoverage;
        best.firstSegment = first;
        best.lastSegment = last;
      }
    }
  }
  for (let wordIndex = 0; wordIndex < wordCount; wordIndex += 1) {
    let slot = wordIndex * segmentCount + best.firstSegment;
    for (let segment = best.firstSegment + 1; segment <= best.lastSegment; segment += 1) {
      if (bestBySegment[wordIndex * segmentCount + segment] > bestBySegment[slot]) slot = wordIndex * segmentCount + segment;
    }
    const partner = partnerBySegment[slot];
    if (partner && bestBySegment[slot] >= EVIDENCE_SIMILARITY && partner.weight >= EVIDENCE_MIN_WEIGHT) best.evidenceWords.push(partner);
  }
  return best;
}

const CLAUSE_BREAK = /[,;:()\[\]—–]/;

/** Widens a short quote to its clause: to the nearest comma, colon or bracket, within its sentence. */
function widenToClause(answer: AnalyzedText, segment: number, start: number, end: number): [number, number] {
  const segmentTokens = answer.tokens.filter((token) => token.segment === segment);
  let from = start;
  let to = end;
  for (const token of segmentTokens.filter((candidate) => candidate.end <= start).reverse()) {
    if (CLAUSE_BREAK.test(answer.text.slice(token.end, from))) break;
    from = token.start;
  }
  for (const token of segmentTokens.filter((candidate) => candidate.start >= end)) {
    if (CLAUSE_BREAK.test(answer.text.slice(to, token.start))) break;
    to = token.end;
  }
  return [from, to];
}

/** A key point must be made within this many adjacent sentences, bullets or clauses. */
const MAX_SPAN_SEGMENTS = 3;
/** Matched words further apart than this (in tokens) belong to different clusters. */
const CLUSTER_GAP = 6;

/**
 * The quote for a key point: the densest run of matched words in the best span (so scattered
 * matches do not stretch it over the whole answer), widened to its sentence when very short.
 */
function quoteEvidence(answer: AnalyzedText, span: SpanScore): Quote | null {
  if (span.evidenceWords.length === 0) return null;
  const positions = new Map(answer.tokens.map((token, index) => [token.start, index]));
  const matched = [...new Map(span.evidenceWords.map((word) => [word.token.start, word])).values()].sort(
    (left, right) => left.token.start - right.token.start,
  );
  let best: ContentWord[] = [];
  let bestWeight = -1;
  let cluster: ContentWord[] = [];
  const closeCluster = () => {
    const weight = cluster.reduce((sum, word) => sum + word.weight, 0);
    if (weight > bestWeight) [best, bestWeight] = [cluster, weight];
  };
  for (const word of matched) {
    const previous = cluster[cluster.length - 1];
    const apart = (positions.get(word.token.start) ?? 0) - (positions.get(previous?.token.start ?? 0) ?? 0);
    // A quote never runs into the next sentence.
    if (previous && (apart > CLUSTER_GAP || word.token.segment !== previous.token.segment)) {
      closeCluster();
      cluster = [];
    }
    cluster.push(word);
  }
  closeCluster();
  let start = best[0].token.start;
  let end = best[best.length - 1].token.end;
  if (best.length < SHORT_EVIDENCE_WORDS) [start, end] = widenToClause(answer, best[0].token.segment, start, end);
  return { start, end: completeEnd(answer.text, end), segment: best[0].token.segment };
}

interface Quote {
  start: number;
  end: number;
  segment: number;
}

/**
 * Whether the quoted words make the key point on their own: a share of it, from more than one of
 * its words unless it is very short. A quote must carry the point, not sit beside the scattered
 * weak matches that added up to it ("Every request gets a correlation id" shares only "request"
 * with the circuit breaker's "let probe requests through").
 */
function quoteSupports(variant: AnalyzedText, answer: AnalyzedText, quote: Quote, similarityOf: WordSimilarity, minimumShare: number): boolean {
  const quoted = answer.words.filter((word) => word.token.start >= quote.start && word.token.end <= quote.end);
  let covered = 0;
  let total = 0;
  let matchedWords = 0;
  let matchedBeyondQuestion = 0;
  const bestAmong = (word: ContentWord, candidates: readonly ContentWord[]) => candidates.reduce((best, candidate) => Math.max(best, similarityOf(word, candidate)), 0);
  const ownWords = quoted.filter((word) => !word.fromQuestion);
  for (const word of variant.words) {
    const weight = keyWordWeight(word);
    const similarity = bestAmong(word, quoted);
    total += weight;
    covered += weight * similarity;
    if (similarity < MATCHED_WORD_SIMILARITY) continue;
    matchedWords += 1;
    if (!word.fromQuestion && bestAmong(word, ownWords) >= MATCHED_WORD_SIMILARITY) matchedBeyondQuestion += 1;
  }
  const neededWords = variant.words.length <= SHORT_KEY_POINT_WORDS ? 1 : 2;
  // The question's words repeated prove nothing: "Explain the differences between eager and graph execution" makes no point.
  const beyondQuestion = matchedBeyondQuestion > 0 || variant.words.every((word) => word.fromQuestion);
  return total > 0 && covered / total >= minimumShare && matchedWords >= neededWords && beyondQuestion;
}

/**
 * Saying a point is useless, or that it does not help, is not making it: "Early stopping is
 * useless" quotes the words of "use early stopping" but states the opposite.
 */
const DISMISSAL =
  /\b(?:useless|pointless|worthless|unnecessary|overrated|irrelevant)\b|(?:\bnot|\bnever|n't) (?:help|helps|helpful|work|works|useful|needed|necessary|required|important|matter|matters|worth)\b/i;

function segmentQuote(answer: AnalyzedText, segment: number): Quote | null {
  const tokens = answer.tokens.filter((token) => token.segment === segment);
  return tokens.length === 0 ? null : { start: tokens[0].start, end: completeEnd(answer.text, tokens[tokens.length - 1].end), segment };
}

function spanSegments(answer: AnalyzedText, span: SpanScore): (Quote | null)[] {
  const quotes: (Quote | null)[] = [];
  for (let segment = span.firstSegment; segment <= span.lastSegment; segment += 1) quotes.push(segmentQuote(answer, segment));
  return quotes;
}

function segmentText(answer: AnalyzedText, segment: number): string {
  const quote = segmentQuote(answer, segment);
  return quote ? answer.text.slice(quote.start, quote.end) : '';
}

/** A negation cue (not "whether or not"), or a word negated by its prefix ("unlimited", "non-blocking"; not "under…", "uni…"). */
const NEGATIVE = /(?<!whether or )\bnot\b|\b(?:no|never|none|nothing|without|cannot|neither|nor)\b|n't\b|\b(?:un(?!der|i)|non-?)[a-z]{4,}/i;

/**
 * The quote's sentence negates or dismisses what it quotes, while the key point itself does not.
 * Where the similarity read each word's negation, only dismissal is left to check; where it did
 * not, the sentence and the key point must also agree in polarity ("no limit" makes "unlimited").
 */
function isDenied(variant: AnalyzedText, answer: AnalyzedText, quote: Quote, wordNegation: boolean): boolean {
  const sentence = segmentText(answer, quote.segment);
  if (DISMISSAL.test(sentence) && !DISMISSAL.test(variant.text)) return true;
  return !wordNegation && NEGATIVE.test(sentence) !== NEGATIVE.test(variant.text);
}

/** Moves a quote's end past the rest of a dotted or hyphenated name ("tf" → "tf.function") and a bracket it opened. */
function completeEnd(text: string, end: number): number {
  let position = end;
  for (let match = /^[.\-/][\p{L}\p{N}_]+/u.exec(text.slice(position)); match; match = /^[.\-/][\p{L}\p{N}_]+/u.exec(text.slice(position))) {
    position += match[0].length;
  }
  const quote = text.slice(0, position);
  const lastOpen = quote.lastIndexOf('(');
  if (lastOpen > quote.lastIndexOf(')')) {
    const close = text.indexOf(')', position);
    if (close >= 0 && close - position <= 60 && !/[.!?\n]/.test(text.slice(position, close))) position = close + 1;
  }
  return position;
}

export function assessKeyPoints(
  keyPoints: readonly PreparedKeyPoint[],
  answer: AnalyzedText,
  similarityOf: WordSimilarity,
  settings: CoverageSettings,
  /** Whether `similarityOf` already discounts a word negated on one side only. */
  { wordNegation }: { wordNegation: boolean } = { wordNegation: true },
): KeyPointCoverage[] {
  const segmentCount = answer.tokens.length === 0 ? 0 : answer.tokens[answer.tokens.length - 1].segment + 1;
  return keyPoints.map(({ keyPoint, variants }) => {
    let best = { coverage: 0, span: { coverage: 0, firstSegment: 0, lastSegment: 0, evidenceWords: [] } as SpanScore, variant: variants[0] };
    for (const variant of variants) {
      const span = bestSpan(variant, answer, segmentCount, similarityOf);
      if (span.coverage > best.coverage) best = { coverage: span.coverage, span, variant };
    }
    const reached = best.coverage >= settings.coveredAt ? 'covered' : best.coverage >= settings.partialAt ? 'partial' : 'missing';
    // Covered or partial only with a quote that makes the point by itself and does not deny it:
    // the densest run of matched words, else a whole sentence of the span.
    const candidates = reached === 'missing' ? [] : [quoteEvidence(answer, best.span), ...spanSegments(answer, best.span)];
    const quotes = candidates.filter((quote): quote is Quote => quote !== null && quoteSupports(best.variant, answer, quote, similarityOf, settings.partialAt * QUOTE_SUPPORT_SHARE));
    const denied = quotes.length > 0 && isDenied(best.variant, answer, quotes[0], wordNegation);
    const quote = denied ? undefined : quotes[0];
    return {
      result: {
        id: keyPoint.id,
        text: keyPoint.text,
        status: quote ? reached : 'missing',
        evidence: quote ? answer.text.slice(quote.start, quote.end) : null,
      },
      coverage: best.coverage,
      weight: keyPoint.weight,
      denied,
    };
  });
}
