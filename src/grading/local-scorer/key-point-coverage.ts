import type { KeyPoint } from '../../rubrics/rubric-schema.js';
import type { KeyPointResult } from '../grade-schema.js';
import type { WordSimilarity } from '../../similarity/alignment.js';
import type { AnalyzedText, ContentWord } from '../../similarity/analyzed-text.js';
import type { Token } from '../../text/tokenize.js';
import { keyPointsSharing } from './key-point-distinctiveness.js';
import { clauseAt, dismissingClauses, isDismissive } from './dismissal.js';

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
  /** The answer's words that deny or dismiss the point where its best quote is ("early stopping is useless"), else null. */
  deniedBy: string | null;
}

/**
 * A word this close to a key point word, and not a common one, counts as evidence for it. Just
 * under 0.7: the similarity table stores two forms of one word ("flexible", "flexibility") at 0.7
 * as a 32-bit float, which is 0.69999999.
 */
const EVIDENCE_SIMILARITY = 0.7 - 1e-6;
const EVIDENCE_MIN_WEIGHT = 0.25;
/** Evidence shorter than this many words is widened to its whole sentence or bullet. */
const SHORT_EVIDENCE_WORDS = 3;
/** A quote must make at least this share of `partialAt` of the key point on its own. */
const QUOTE_SUPPORT_SHARE = 0.5;
/** A key point word this close to a quoted word is made by the quote. */
const MATCHED_WORD_SIMILARITY = 0.5;
/** Key points of at most this many content words may be made by a single word ("by reference"). */
const SHORT_KEY_POINT_WORDS = 3;

/** A matched answer word, and the weight and rarity in the rubric of the key point word it matches. */
interface Evidence {
  word: ContentWord;
  /** How many of the rubric's key points use the matched key point word. */
  sharedBy: number;
  /** keyWordWeight of the matched key point word. */
  weight: number;
}

interface SpanScore {
  coverage: number;
  firstSegment: number;
  lastSegment: number;
}

/**
 * Every word of the span that clearly matches a word of the key point, in any of its wordings:
 * not only the best match of each ("reads" in "reads are eventually consistent", even where an
 * earlier sentence said "read"), nor only the wording that scored best.
 */
function evidenceIn(
  span: SpanScore,
  variants: readonly AnalyzedText[],
  answer: AnalyzedText,
  similarityOf: WordSimilarity,
  sharing: ReadonlyMap<ContentWord, number>,
): Evidence[] {
  const evidence: Evidence[] = [];
  for (const word of variants.flatMap((variant) => variant.words)) {
    for (const candidate of answer.words) {
      if (
        candidate.token.segment < span.firstSegment ||
        candidate.token.segment > span.lastSegment ||
        candidate.weight < EVIDENCE_MIN_WEIGHT
      )
        continue;
      if (similarityOf(word, candidate) >= EVIDENCE_SIMILARITY)
        evidence.push({ word: candidate, sharedBy: sharing.get(word) ?? 1, weight: keyWordWeight(word) });
    }
  }
  return evidence;
}

/** How much a word counts towards making a key point: its distinctive words ("EXPLAIN", "plan") more than the common ones around them ("read", "used"). */
export function keyWordWeight(word: ContentWord): number {
  return word.weight ** 1.5;
}

/**
 * Scores one variant against every span of up to three adjacent segments (sentences, bullets,
 * clauses) of the answer, so a point counts only where the answer makes it in one place.
 */
function bestSpan(
  variant: AnalyzedText,
  answer: AnalyzedText,
  segmentCount: number,
  similarityOf: WordSimilarity,
): SpanScore {
  const best: SpanScore = { coverage: 0, firstSegment: 0, lastSegment: 0 };
  const wordCount = variant.words.length;
  if (variant.totalWeight === 0 || answer.words.length === 0) return best;
  // bestBySegment[w * segmentCount + s]: how well segment s matches variant word w.
  const bestBySegment = new Float64Array(wordCount * segmentCount);
  const weights = variant.words.map(keyWordWeight);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  variant.words.forEach((word, wordIndex) => {
    for (const candidate of answer.words) {
      const slot = wordIndex * segmentCount + candidate.token.segment;
      bestBySegment[slot] = Math.max(bestBySegment[slot], similarityOf(word, candidate));
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
  return best;
}

const CLAUSE_BREAK = /[,;:()[\]—–]/;
const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'or', 'but', 'while', 'whereas', 'then']);

/**
 * Widens a short quote to its clause: to the nearest comma, colon or bracket, within its sentence,
 * and never into the words another key point is quoted for ("queries become less flexible" stops
 * before "reads are eventually consistent").
 */
function widenToClause(
  answer: AnalyzedText,
  segment: number,
  start: number,
  end: number,
  taken: readonly Range[],
): [number, number] {
  const segmentTokens = answer.tokens.filter((token) => token.segment === segment);
  const isTaken = (token: Token) =>
    taken.some(([takenStart, takenEnd]) => token.start < takenEnd && token.end > takenStart);
  let from = start;
  let to = end;
  let stoppedBefore = false;
  for (const token of segmentTokens.filter((candidate) => candidate.end <= start).reverse()) {
    if (CLAUSE_BREAK.test(answer.text.slice(token.end, from))) break;
    if (isTaken(token)) {
      stoppedBefore = true;
      break;
    }
    from = token.start;
  }
  let stopped = false;
  for (const token of segmentTokens.filter((candidate) => candidate.start >= end)) {
    if (CLAUSE_BREAK.test(answer.text.slice(to, token.start))) break;
    if (isTaken(token)) {
      stopped = true;
      break;
    }
    to = token.end;
  }
  // Cut short by another point's words: only up to the conjunction before them ("Dynamo when you
  // need scale | and Postgres when you need SQL"), and starting and ending on a content word.
  if (stoppedBefore) {
    const kept = segmentTokens.filter((token) => token.start >= from && token.end <= start);
    const conjunction = kept.findLastIndex((token) => CONJUNCTIONS.has(token.word));
    if (conjunction >= 0) kept.splice(0, conjunction + 1);
    while (kept.length > 0 && kept[0].isStopword) kept.shift();
    from = kept.length > 0 ? kept[0].start : start;
  }
  if (stopped) {
    const kept = segmentTokens.filter((token) => token.start >= end && token.end <= to);
    const conjunction = kept.findIndex((token) => CONJUNCTIONS.has(token.word));
    if (conjunction >= 0) kept.splice(conjunction);
    while (kept.length > 0 && kept[kept.length - 1].isStopword) kept.pop();
    to = kept.length > 0 ? kept[kept.length - 1].end : end;
  }
  return [from, to];
}

/** A point's runs of matched words tried for its quote, best first: beyond a few dozen, none will make it. */
const MAX_RUNS_QUOTED = 32;
/** A key point must be made within this many adjacent sentences, bullets or clauses. */
const MAX_SPAN_SEGMENTS = 3;
/** Matched words further apart than this (in tokens) belong to different clusters. */
const CLUSTER_GAP = 6;

type Range = readonly [number, number];

/**
 * Runs of matched words in the best span (so scattered matches do not stretch a quote over the
 * whole answer), the one that shows the point most surely first (see runWeight).
 */
function evidenceRuns(answer: AnalyzedText, evidenceWords: readonly Evidence[]): Evidence[][] {
  if (evidenceWords.length === 0) return [];
  const positions = new Map(answer.tokens.map((token, index) => [token.start, index]));
  const byWord = new Map<number, Evidence>();
  for (const evidence of evidenceWords) {
    const known = byWord.get(evidence.word.token.start);
    if (
      !known ||
      evidence.sharedBy < known.sharedBy ||
      (evidence.sharedBy === known.sharedBy && evidence.weight > known.weight)
    )
      byWord.set(evidence.word.token.start, evidence);
  }
  const matched = [...byWord.values()].sort((left, right) => left.word.token.start - right.word.token.start);
  const runs: Evidence[][] = [];
  let run: Evidence[] = [];
  for (const evidence of matched) {
    const previous = run[run.length - 1]?.word;
    const apart = (positions.get(evidence.word.token.start) ?? 0) - (positions.get(previous?.token.start ?? 0) ?? 0);
    // A quote never runs into the next sentence, nor past a comma or colon.
    if (
      previous &&
      (apart > CLUSTER_GAP ||
        evidence.word.token.segment !== previous.token.segment ||
        CLAUSE_BREAK.test(answer.text.slice(previous.token.end, evidence.word.token.start)))
    ) {
      runs.push(run);
      run = [];
    }
    run.push(evidence);
  }
  if (run.length > 0) runs.push(run);
  return runs.sort((left, right) => runWeight(right) - runWeight(left));
}

/**
 * How surely a run of matched words shows its point and no other: a key point word that n of the
 * rubric's points use counts 1/n, so a quote rests on the words that set its point apart.
 * "numbered folder" shows a versioning point more surely than "SavedModel", which the serving
 * point also names; "model", in all six points of that rubric, hardly counts.
 */
function runWeight(run: readonly Evidence[]): number {
  return run.reduce((sum, evidence) => sum + evidence.weight / evidence.sharedBy, 0);
}

const overlaps = (left: Range, right: Range) => left[0] < right[1] && right[0] < left[1];

/**
 * Gives matched words to one point: where two points' best runs overlap ("debug with print" for
 * both "eager runs operations immediately" and "choose eager for debugging"), the run stays with
 * the point it shows more surely and the other moves to its next run, if it has one. Reorders
 * each point's runs in place, the run it keeps first.
 */
function shareOutRuns(runsByPoint: Evidence[][][]): void {
  const current = runsByPoint.map(() => 0);
  const rangeOf = (point: number) =>
    current[point] < runsByPoint[point].length ? runRange(runsByPoint[point][current[point]]) : null;
  for (let moved = true; moved;) {
    moved = false;
    for (let point = 0; point < runsByPoint.length && !moved; point += 1) {
      const range = rangeOf(point);
      if (!range || current[point] + 1 >= runsByPoint[point].length) continue;
      const weight = runWeight(runsByPoint[point][current[point]]);
      const beaten = runsByPoint.some((_, other) => {
        const otherRange = rangeOf(other);
        return (
          other !== point &&
          otherRange !== null &&
          overlaps(range, otherRange) &&
          runWeight(runsByPoint[other][current[other]]) > weight
        );
      });
      if (beaten) {
        current[point] += 1;
        moved = true;
      }
    }
  }
  runsByPoint.forEach((runs, point) => runs.unshift(...runs.splice(current[point], 1)));
}

function runRange(run: readonly Evidence[]): Range {
  return [run[0].word.token.start, run[run.length - 1].word.token.end];
}

/** The quote for a run of matched words, widened to its clause when very short. */
function quoteRun(answer: AnalyzedText, run: readonly Evidence[], taken: readonly Range[]): Quote {
  let [start, end] = runRange(run);
  const segment = run[0].word.token.segment;
  if (run.length < SHORT_EVIDENCE_WORDS) [start, end] = widenToClause(answer, segment, start, end, taken);
  return { start, end: completeEnd(answer.text, end), segment };
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
function quoteSupports(
  variant: AnalyzedText,
  answer: AnalyzedText,
  quote: Quote,
  similarityOf: WordSimilarity,
  minimumShare: number,
): boolean {
  const quoted = answer.words.filter((word) => word.token.start >= quote.start && word.token.end <= quote.end);
  let covered = 0;
  let total = 0;
  let matchedWords = 0;
  let matchedBeyondQuestion = 0;
  const bestAmong = (word: ContentWord, candidates: readonly ContentWord[]) =>
    bestMatch(word, candidates, similarityOf);
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

function segmentQuote(answer: AnalyzedText, segment: number): Quote | null {
  const tokens = answer.tokens.filter((token) => token.segment === segment);
  return tokens.length === 0
    ? null
    : { start: tokens[0].start, end: completeEnd(answer.text, tokens[tokens.length - 1].end), segment };
}

function spanSegments(answer: AnalyzedText, span: SpanScore): (Quote | null)[] {
  const quotes: (Quote | null)[] = [];
  for (let segment = span.firstSegment; segment <= span.lastSegment; segment += 1)
    quotes.push(segmentQuote(answer, segment));
  return quotes;
}

function segmentText(answer: AnalyzedText, segment: number): string {
  const quote = segmentQuote(answer, segment);
  return quote ? answer.text.slice(quote.start, quote.end) : '';
}

/** A negation cue (not "whether or not"), or a word negated by its prefix ("unlimited", "non-blocking"; not "under…", "uni…"). */
const NEGATIVE =
  /(?<!whether or )\bnot\b|\b(?:no|never|none|nothing|without|cannot|neither|nor)\b|n't\b|\b(?:un(?!der|i)|non-?)[a-z]{4,}/i;

/**
 * The quote's sentence negates or dismisses what it quotes, while the key point itself does not.
 * Where the similarity read each word's negation, only dismissal is left to check; where it did
 * not, the sentence and the key point must also agree in polarity ("no limit" makes "unlimited").
 */
function denialOf(
  variant: AnalyzedText,
  answer: AnalyzedText,
  quote: Quote,
  dismissing: readonly [number, number][],
  wordNegation: boolean,
  similarityOf: WordSimilarity,
): string | null {
  // A point that itself dismisses or rules something out ("…rather than the data itself") agrees
  // with an answer dismissing that thing ("storing raw data in the database is overkill").
  const agreesWithDismissals = isDismissive(variant.text) || RULES_OUT.test(variant.text);
  const clause = agreesWithDismissals ? null : clauseAt(dismissing, quote.start, quote.end);
  if (clause) {
    // Denied where the dismissing clause names the point and holds most of what the quote matches,
    // not where the quote only begins in it ("…is overkill, so I keep them in S3 and store their
    // version in a table").
    const quoted = answer.words.filter((word) => word.token.start >= quote.start && word.token.end <= quote.end);
    const inClause = (word: ContentWord) => word.token.start >= clause[0] && word.token.end <= clause[1];
    const inside = quoted.filter(inClause);
    const outside = quoted.filter((word) => !inClause(word));
    const mostlyInside = matchedShare(variant, inside, similarityOf) >= matchedShare(variant, outside, similarityOf);
    if (mostlyInside && namesDistinctively(variant, inside, similarityOf)) {
      return answer.text.slice(clause[0], clause[1]).trim();
    }
  }
  const sentence = segmentText(answer, quote.segment);
  // "FastAPI doesn't generate documentation": the quote negates a word the point states. Only for
  // points worded without a negation: a negation's reach is read roughly, to the end of its clause
  // ("a message that is not deleted becomes visible again" negates "visible" too).
  if (wordNegation && !NEGATIVE.test(variant.text) && negatesDistinctively(variant, answer, quote)) return sentence;
  return !wordNegation && NEGATIVE.test(sentence) !== NEGATIVE.test(variant.text) ? sentence : null;
}

/** The point's most distinctive words: what a sentence must name to be about the point, not only near its topic. */
const DISTINCTIVE_WORDS = 4;

/** Whether the quote negates one of the point's most distinctive words, where the point states it. */
function negatesDistinctively(variant: AnalyzedText, answer: AnalyzedText, quote: Quote): boolean {
  const inQuote = (word: ContentWord) => word.token.start >= quote.start && word.token.end <= quote.end;
  // Around the quote, in its sentence, only a verb's plain negation: "Lambda doesn't scale by itself,
  // so…", not "training without early stopping is pointless, so…".
  const deniedBefore = (word: ContentWord) =>
    PLAIN_NEGATION_BEFORE.test(answer.text.slice(Math.max(0, word.token.start - 40), word.token.start));
  const negated = new Set(
    answer.words
      .filter(
        (word) => word.token.negated && word.token.segment === quote.segment && (inQuote(word) || deniedBefore(word)),
      )
      .map((word) => word.token.stem),
  );
  return (
    negated.size > 0 && distinctiveWords(variant).some((word) => !word.token.negated && negated.has(word.token.stem))
  );
}

/** A plain negation shortly before a word, in its clause. */
const PLAIN_NEGATION_BEFORE = /(?:\b(?:not|never|no)\b|n't\b)[^,;:.!?]*$/i;

/** A wording's DISTINCTIVE_WORDS most distinctive words (question words aside), most distinctive first. */
export function distinctiveWords(wording: AnalyzedText): ContentWord[] {
  return wording.words
    .filter((word) => !word.fromQuestion)
    .sort((left, right) => right.weight - left.weight)
    .slice(0, DISTINCTIVE_WORDS);
}

/** Whether the answer words clearly name one of the wording's most distinctive words ("idempotency", not "database" for "foreign keys"). */
function namesDistinctively(
  wording: AnalyzedText,
  words: readonly ContentWord[],
  similarityOf: WordSimilarity,
): boolean {
  return distinctiveWords(wording).some((word) => bestMatch(word, words, similarityOf) >= EVIDENCE_SIMILARITY);
}

/** How closely the best of `candidates` matches `word`, 0–1. */
function bestMatch(word: ContentWord, candidates: readonly ContentWord[], similarityOf: WordSimilarity): number {
  return candidates.reduce((best, candidate) => Math.max(best, similarityOf(word, candidate)), 0);
}

/** Weighted share of a wording's words that the given answer words match. */
function matchedShare(wording: AnalyzedText, words: readonly ContentWord[], similarityOf: WordSimilarity): number {
  let total = 0;
  let covered = 0;
  for (const word of wording.words) {
    const weight = keyWordWeight(word);
    total += weight;
    covered += weight * bestMatch(word, words, similarityOf);
  }
  return total === 0 ? 0 : covered / total;
}

/** The cues by which a text rules out what follows them, in its clause ("queried rather than grepped", "avoid global state"). */
const RULING_OUT = String.raw`\b(?:rather than|instead of|in place of|as opposed to|not|never|no|without|avoid\w*)\b`;

/** Whether a key point rules something out. */
export const RULES_OUT = new RegExp(RULING_OUT, 'i');

/** A cue at the end of the text before a word, in the word's clause: the word is ruled out. */
const RULED_OUT_BEFORE = new RegExp(`${RULING_OUT}[^,;:.!?]*$`, 'i');

/** Whether the word at `start` of a text is ruled out: a cue before it in its clause (within 80 characters). */
export function ruledOutAt(text: string, start: number): boolean {
  return RULED_OUT_BEFORE.test(text.slice(Math.max(0, start - 80), start));
}

/** Moves a quote's end past the rest of a dotted or hyphenated name ("tf" → "tf.function") and a bracket it opened. */
function completeEnd(text: string, end: number): number {
  let position = end;
  for (
    let match = /^[.\-/][\p{L}\p{N}_]+/u.exec(text.slice(position));
    match;
    match = /^[.\-/][\p{L}\p{N}_]+/u.exec(text.slice(position))
  ) {
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

export interface AssessOptions {
  /** Whether `similarityOf` already discounts a word negated on one side only (default true). */
  wordNegation?: boolean;
  /** How the point at this index reads answer words, when not as `similarityOf` does. */
  similarityFor?: (pointIndex: number) => WordSimilarity | undefined;
  /**
   * Whether a sentence that dismisses what it quotes denies it (default true). Not for wrong
   * claims: "exactly once, so I don't need idempotency" states the claim it dismisses with.
   */
  dismissalDenies?: boolean;
  /** The answer's dismissing clauses, where the caller has read them already (`dismissingClauses`). */
  dismissing?: readonly [number, number][];
}

export function assessKeyPoints(
  keyPoints: readonly PreparedKeyPoint[],
  answer: AnalyzedText,
  similarityOf: WordSimilarity,
  settings: CoverageSettings,
  { wordNegation = true, similarityFor, dismissalDenies = true, dismissing: given }: AssessOptions = {},
): KeyPointCoverage[] {
  // A point may read the answer its own way: only the clauses about its side of a contrast.
  const similarityOfPoint = (index: number): WordSimilarity => similarityFor?.(index) ?? similarityOf;
  const segmentCount = answer.tokens.length === 0 ? 0 : answer.tokens[answer.tokens.length - 1].segment + 1;
  const sharing = keyPointsSharing(keyPoints);
  // Read once per answer, not once per point.
  const dismissing = dismissalDenies ? (given ?? dismissingClauses(answer.text)) : [];
  const assessed = keyPoints.map(({ variants }, pointIndex) => {
    const similarityOf = similarityOfPoint(pointIndex);
    let best = {
      coverage: 0,
      span: { coverage: 0, firstSegment: 0, lastSegment: 0 } as SpanScore,
      variant: variants[0],
    };
    for (const variant of variants) {
      const span = bestSpan(variant, answer, segmentCount, similarityOf);
      if (span.coverage > best.coverage) best = { coverage: span.coverage, span, variant };
    }
    const reached: KeyPointResult['status'] =
      best.coverage >= settings.coveredAt ? 'covered' : best.coverage >= settings.partialAt ? 'partial' : 'missing';
    const evidence = reached === 'missing' ? [] : evidenceIn(best.span, variants, answer, similarityOf, sharing);
    // The rubric's subject ("DynamoDB", "Postgres" in every point of a DynamoDB-or-PostgreSQL
    // rubric) shows no point in particular: it never anchors a quote, and a sentence matched by
    // nothing else ("Dynamo when you need scale and Postgres when you need SQL") is no quote for
    // the consistency point.
    const ownWords = evidence.filter((word) => word.sharedBy <= Math.max(1, keyPoints.length / 2));
    const subjectOnly = new Set(
      evidence
        .map((word) => word.word.token.segment)
        .filter((segment) => !ownWords.some((word) => word.word.token.segment === segment)),
    );
    return { ...best, reached, runs: evidenceRuns(answer, ownWords), subjectOnly };
  });
  shareOutRuns(assessed.map(({ runs }) => runs));
  // Each point's best run of matched words, which the others' short quotes do not widen into.
  const cores = assessed.map(({ runs }) => (runs.length > 0 ? runRange(runs[0]) : null));
  return keyPoints.map(({ keyPoint, variants }, index) => {
    const { coverage, span, variant, reached, runs, subjectOnly } = assessed[index];
    const similarityOf = similarityOfPoint(index);
    const taken = cores.filter((core, other): core is Range => core !== null && other !== index);
    // Covered or partial only with a quote that makes the point by itself and does not deny it:
    // a run of matched words, else a whole sentence of the span.
    const makes = (quote: Quote, wording: AnalyzedText) =>
      quoteSupports(wording, answer, quote, similarityOf, settings.partialAt * QUOTE_SUPPORT_SHARE);
    // A run of clearly matched words may make the point in any of its wordings ("post-training
    // quantization" is an alternative's); a whole sentence, matched only loosely, in the best one.
    // Only the first quote that makes the point is used: looked for run by run (at most
    // MAX_RUNS_QUOTED of them, so an answer of thousands of short runs stays linear), then sentence by sentence.
    const fromRun = () =>
      runs
        .slice(0, MAX_RUNS_QUOTED)
        .map((run) => quoteRun(answer, run, taken))
        .find((quote) => variants.some((wording) => makes(quote, wording)));
    const fromSentence = () =>
      spanSegments(answer, span).find(
        (quote): quote is Quote => quote !== null && !subjectOnly.has(quote.segment) && makes(quote, variant),
      );
    const firstQuote = reached === 'missing' ? undefined : (fromRun() ?? fromSentence());
    const deniedBy =
      firstQuote !== undefined && dismissalDenies
        ? denialOf(variant, answer, firstQuote, dismissing, wordNegation, similarityOf)
        : null;
    const quote = deniedBy !== null ? undefined : firstQuote;
    return {
      result: {
        id: keyPoint.id,
        text: keyPoint.text,
        status: quote ? reached : 'missing',
        evidence: quote ? answer.text.slice(quote.start, quote.end) : null,
      },
      coverage,
      weight: keyPoint.weight,
      deniedBy,
    };
  });
}
