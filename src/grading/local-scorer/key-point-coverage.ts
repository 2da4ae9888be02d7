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
}

/** A word this close to a key point word, and not a common one, counts as evidence for it. */
const EVIDENCE_SIMILARITY = 0.7;
const EVIDENCE_MIN_WEIGHT = 0.25;
/** Evidence shorter than this many words is widened to its whole sentence or bullet. */
const SHORT_EVIDENCE_WORDS = 3;

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
function quoteEvidence(answer: AnalyzedText, span: SpanScore): string | null {
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
  return answer.text.slice(start, completeEnd(answer.text, end));
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
): KeyPointCoverage[] {
  const segmentCount = answer.tokens.length === 0 ? 0 : answer.tokens[answer.tokens.length - 1].segment + 1;
  return keyPoints.map(({ keyPoint, variants }) => {
    let best: SpanScore = { coverage: 0, firstSegment: 0, lastSegment: 0, evidenceWords: [] };
    for (const variant of variants) {
      const span = bestSpan(variant, answer, segmentCount, similarityOf);
      if (span.coverage > best.coverage) best = span;
    }
    const status = best.coverage >= settings.coveredAt ? 'covered' : best.coverage >= settings.partialAt ? 'partial' : 'missing';
    return {
      result: {
        id: keyPoint.id,
        text: keyPoint.text,
        status,
        evidence: status === 'missing' ? null : quoteEvidence(answer, best),
      },
      coverage: best.coverage,
      weight: keyPoint.weight,
    };
  });
}
