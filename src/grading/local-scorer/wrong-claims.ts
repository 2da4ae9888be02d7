import { cosine } from '../../embeddings/word-vectors.js';
import type { Misconception } from '../../rubrics/rubric-schema.js';
import type { WordSimilarity } from '../../similarity/alignment.js';
import type { AnalyzedText, ContentWord } from '../../similarity/analyzed-text.js';
import { areDifferentNumbers, areOpposites } from '../../similarity/opposites.js';
import type { MisconceptionResult } from '../grade-schema.js';
import {
  namesASide,
  otherSideOf,
  sidesOfClaim,
  sidesOfClaimWords,
  sideTermWords,
  speaksOf,
  type ContrastSides,
  type RoleReading,
} from './contrast-roles.js';
import { sideVocabularies, type SideWord } from './side-vocabulary.js';
import { clauseAt, isDismissive, isRefusal, isVerdict } from './dismissal.js';
import {
  assessKeyPoints,
  distinctiveWords,
  keyWordWeight,
  ruledOutAt,
  type CoverageSettings,
  type KeyPointCoverage,
  type PreparedKeyPoint,
} from './key-point-coverage.js';

/**
 * Wrong claims an answer states: the rubric's listed misconceptions, key points stated of the other
 * side of a contrast (swapped roles), key points stated with opposite words ("slower" for
 * "faster", another number). Each is quoted, costs points and unmakes the key point it contradicts.
 */
export interface WrongClaim extends MisconceptionResult {
  /** Points off, 0–1 of the scale. */
  penalty: number;
}

/** A misconception analysed once per rubric, with the key point it contradicts (if any). */
export interface PreparedMisconception {
  readonly misconception: Misconception;
  readonly keyPointIndex: number | null;
  readonly variants: readonly AnalyzedText[];
  /**
   * The words of its wordings that the question, reference and key points never use: what makes
   * the claim wrong ("hardcode" in "DI makes code harder to test, so hardcode the clients").
   */
  readonly novelWords: ReadonlySet<ContentWord>;
  /** The words of its wordings that name a side of a contrast its key point does not speak of (`sideWordsNewTo`). */
  readonly sideWords: ReadonlySet<ContentWord>;
}

/** A word this close (cosine) to a rubric word is no new word. */
const NOVEL_BELOW = 0.75;

/** The words of `variants` that none of `known` matches by stem or closely in meaning, nor names a side of a contrast. */
export function novelWordsOf(
  variants: readonly AnalyzedText[],
  known: readonly AnalyzedText[],
  contrasts: readonly ContrastSides[] = [],
): Set<ContentWord> {
  const knownWords = known.flatMap((text) => text.words);
  const stems = new Set(knownWords.map((word) => word.token.stem));
  const novel = new Set<ContentWord>();
  for (const word of variants.flatMap((variant) => variant.words)) {
    if (word.fromQuestion || stems.has(word.token.stem) || contrasts.some((sides) => namesASide(word, sides))) continue;
    const close = knownWords.some((other) => cosine(word.entry.vector, other.entry.vector) >= NOVEL_BELOW);
    if (!close) novel.add(word);
  }
  return novel;
}

/**
 * The words of `variants` that name a side of a contrast the key point does not speak of at all:
 * what moves the point to the wrong side ("apply augmentation to the test set too" for a point
 * about augmenting the training images), new though the rubric names that side elsewhere.
 */
export function sideWordsNewTo(
  variants: readonly AnalyzedText[],
  point: AnalyzedText | null,
  contrasts: readonly ContrastSides[],
): Set<ContentWord> {
  if (point === null) return new Set();
  const newSides = contrasts.filter((sides) => sideTermWords(point, sides).length === 0);
  return new Set(variants.flatMap((variant) => newSides.flatMap((sides) => sideTermWords(variant, sides))));
}

export interface WrongClaimInput {
  answer: AnalyzedText;
  keyPoints: readonly PreparedKeyPoint[];
  /** The key points as assessed (reading roles and opposites). */
  assessed: readonly KeyPointCoverage[];
  misconceptions: readonly PreparedMisconception[];
  roles: RoleReading;
  /** Left: a rubric word; right: an answer word. Opposites already read as unrelated. */
  similarityOf: WordSimilarity;
  /** As `similarityOf`, reading a word the same whether the answer negates it or not. */
  plainSimilarityOf: WordSimilarity;
  settings: CoverageSettings;
  maxScore: number;
  /** The answer's dismissing clauses (`dismissingClauses`), read once per answer. */
  dismissing: readonly [number, number][];
}

/** A misconception is stated when one place in the answer makes this much of it… */
const MISCONCEPTION_AT = 0.6;
/** …with this much of its new words (those no right answer needs), or, having none, this much of it all. */
const NOVEL_AT = 0.5;
const WITHOUT_NOVEL_AT = 0.75;
/** …and a key point stated of the other side of a contrast, or with opposite words. */
const SWAPPED_AT = 0.6;
/** Points off, 0–1 of the scale, for a wrong claim the rubric does not list. */
const UNLISTED_PENALTY = 0.1;
/** A word this close counts as matched in a clause… */
const MATCHED = 0.5;
/** …and this close, as stating a misconception's new words (two forms of a word, "idempotency" and "idempotent", are 0.7 as a 32-bit float). */
const STRICT_MATCH = 0.7 - 1e-6;

/** Reads words as unrelated when they state opposites or different numbers: "slower" makes nothing of "faster". */
export function withoutOpposites(similarityOf: WordSimilarity): WordSimilarity {
  return (left, right) => {
    // Most pairs are unrelated: no need to look them up as opposites (this runs for every pair of words).
    const similarity = similarityOf(left, right);
    if (similarity === 0) return 0;
    return areOpposites(left.token.stem, right.token.stem) || areDifferentNumbers(left.token.stem, right.token.stem)
      ? 0
      : similarity;
  };
}

/**
 * How a claim (key point or misconception) reads the answer: each of its words only in the answer's
 * clauses about the same side of each contrast (or about none).
 */
export function roleAwareSimilarity(
  roles: RoleReading,
  variants: readonly AnalyzedText[],
  similarityOf: WordSimilarity,
): WordSimilarity | undefined {
  if (roles.contrasts.length === 0) return undefined;
  const wordSides = new Map<ContentWord, number[]>();
  const claimSides = sidesOfClaim(variants[0], roles.contrasts);
  for (const variant of variants)
    for (const [word, sides] of sidesOfClaimWords(variant, roles.contrasts, claimSides))
      if (sides.some((side) => side >= 0)) wordSides.set(word, sides);
  if (wordSides.size === 0) return undefined;
  return (left, right) => {
    const sides = wordSides.get(left);
    return sides === undefined || speaksOf(roles, sides, right) ? similarityOf(left, right) : 0;
  };
}

/** The answer's content words clause by clause, as the contrast's reading split them. */
function clausesOf(answer: AnalyzedText, roles: RoleReading, contrast: number): ContentWord[][] {
  const groups: ContentWord[][] = [];
  let current: ContentWord[] = [];
  let key = -1;
  for (const word of answer.words) {
    const wordKey = roles.clauses[contrast][roles.tokenIndex.get(word.token) ?? 0];
    if (wordKey !== key && current.length > 0) {
      groups.push(current);
      current = [];
    }
    key = wordKey;
    current.push(word);
  }
  if (current.length > 0) groups.push(current);
  // A claim may run over two clauses about the same side: "graph mode runs each op at once, | which is why it is the mode to debug in".
  const windows = [...groups];
  groups.forEach((group, index) => {
    const next = groups[index + 1];
    const sidesOf = (word: ContentWord) => roles.masks[contrast][roles.tokenIndex.get(word.token) ?? 0];
    if (next && next[0].token.segment === group[0].token.segment && sidesOf(next[0]) === sidesOf(group[0]))
      windows.push([...group, ...next]);
  });
  return windows;
}

interface ClauseMatch {
  coverage: number;
  matchedWords: number;
  /** Weighted share of the claim's words matched only by an opposite in the clause. */
  opposed: number;
}

/**
 * How much of a claim's words (those not naming a side) one clause makes, and how much it states
 * the opposite of. With `strict`, only clear matches count (a word near in meaning is no new fact).
 */
function matchClause(
  claimWords: readonly ContentWord[],
  clause: readonly ContentWord[],
  similarityOf: WordSimilarity,
  strict = false,
): ClauseMatch {
  let total = 0;
  let covered = 0;
  let opposed = 0;
  let matchedWords = 0;
  for (const word of claimWords) {
    const weight = keyWordWeight(word);
    total += weight;
    let best = 0;
    let opposite = false;
    for (const candidate of clause) {
      best = Math.max(best, similarityOf(word, candidate));
      if (
        !candidate.token.negated &&
        (areOpposites(word.token.stem, candidate.token.stem) ||
          areDifferentNumbers(word.token.stem, candidate.token.stem))
      )
        opposite = true;
    }
    covered += weight * (strict && best < STRICT_MATCH ? 0 : best);
    if (best >= MATCHED) matchedWords += 1;
    else if (opposite) opposed += weight;
  }
  return total === 0
    ? { coverage: 0, matchedWords: 0, opposed: 0 }
    : { coverage: covered / total, matchedWords, opposed: opposed / total };
}

function quoteOf(answer: AnalyzedText, clause: readonly ContentWord[]): string {
  const tokens = answer.tokens.filter(
    (token) =>
      token.segment === clause[0].token.segment &&
      token.start >= clause[0].token.start &&
      token.end <= clause[clause.length - 1].token.end,
  );
  return answer.text.slice(tokens[0].start, tokens[tokens.length - 1].end);
}

/** Key points stated of the other side of a contrast: "graph mode runs each op as soon as it is called". */
function swappedRoles(input: WrongClaimInput, found: Map<number, WrongClaim>): void {
  const { answer, keyPoints, roles, similarityOf } = input;
  roles.contrasts.forEach((sides: ContrastSides, contrast) => {
    const clauses = clausesOf(answer, roles, contrast);
    keyPoints.forEach(({ keyPoint, variants }, pointIndex) => {
      if (found.has(pointIndex)) return;
      // Only the sides the point's own text speaks of: an alternative naming a side in passing
      // ("a liveness route plus a metrics endpoint") does not make a neutral point one side's.
      const mainSides = new Set(
        [...sidesOfClaimWords(variants[0], roles.contrasts).values()].map((sidesOfWord) => sidesOfWord[contrast]),
      );
      for (const variant of variants) {
        // What the claim says of each side: all its words for "eager runs ops at once", each half
        // for "DynamoDB scales out easily, while scaling PostgreSQL takes work".
        const wordSides = sidesOfClaimWords(variant, roles.contrasts, sidesOfClaim(variants[0], roles.contrasts));
        const saidOf = (side: number) =>
          variant.words.filter(
            (word) => wordSides.get(word)?.[contrast] === side && !namesASide(word, sides) && !word.fromQuestion,
          );
        for (let side = 0; side < sides.length; side += 1) {
          if (!mainSides.has(side)) continue;
          const claimWords = saidOf(side);
          if (claimWords.length < 2) continue;
          const needed = Math.min(3, claimWords.length);
          for (const clause of clauses) {
            const other = otherSideOf(roles, contrast, side, clause[0]);
            if (other < 0) continue;
            const match = matchClause(claimWords, clause, similarityOf);
            // Stating the opposite of the other side is the contrast made right: "graph mode is harder to debug".
            if (match.coverage < SWAPPED_AT || match.matchedWords < needed || match.opposed > 0) continue;
            // Nor is saying of the other side what the claim itself says of it.
            const ofOther = saidOf(other);
            if (ofOther.length > 0 && matchClause(ofOther, clause, similarityOf).coverage + 0.1 >= match.coverage)
              continue;
            found.set(pointIndex, {
              id: `swapped_roles:${keyPoint.id}`,
              text: `States of ${sides[other].name} what holds for ${sides[side].name}: ${keyPoint.text}`,
              kind: 'swapped_roles',
              keyPointId: keyPoint.id,
              evidence: quoteOf(answer, clause),
              penalty: UNLISTED_PENALTY,
            });
            return;
          }
        }
      }
    });
  });
}

/** Distinct words of one wording of the other side a clause must assert, saying none of its own side's, to swap roles. */
const FOREIGN_WORDS = 2;

/**
 * Clauses that name one side of a contrast and say of it what the rubric says only of another, in
 * words no key point matches in full: "eager execution is lazy: it records operations and only runs
 * them when…", "I'd tune the hyperparameters on the test set". A word the clause negates or rules
 * out counts for the other side ("eager mode builds no graph" is eager's own).
 */
function saidOfTheOtherSide(input: WrongClaimInput, found: Map<number, WrongClaim>): void {
  const { answer, keyPoints, roles, plainSimilarityOf } = input;
  const vocabularies = sideVocabularies(keyPoints, roles.contrasts);
  roles.contrasts.forEach((sides: ContrastSides, contrast) => {
    const vocabulary = vocabularies[contrast];
    if (vocabulary.length === 0) return;
    for (const clause of clausesOf(answer, roles, contrast)) {
      const index = roles.tokenIndex.get(clause[0].token) ?? -1;
      const mask = index < 0 || roles.named[contrast][index] === 0 ? 0 : roles.masks[contrast][index];
      // Only a clause that names one side itself.
      if (mask === 0 || (mask & (mask - 1)) !== 0) continue;
      const side = Math.log2(mask);
      const ruledOut = (word: ContentWord) => word.token.negated || ruledOutAt(answer.text, word.token.start);
      // "…apply in graph mode, not in eager mode, so I serve the graph" speaks of eager only to rule it out.
      if (clause.some((word) => namesASide(word, sides) && ruledOut(word))) continue;
      const own = new Set<string>();
      // Per wording of a key point ("point:wording"), the distinct words of it the clause asserts of the wrong side.
      const foreign = new Map<string, { entry: SideWord; stems: Set<string> }>();
      for (const word of clause) {
        const wordRuledOut = ruledOut(word);
        for (const entry of vocabulary) {
          if (plainSimilarityOf(entry.word, word) < STRICT_MATCH) continue;
          if ((entry.side === side) !== wordRuledOut) own.add(entry.word.token.stem);
          else {
            const key = `${entry.pointIndex}:${entry.wording}`;
            const wording = foreign.get(key) ?? { entry, stems: new Set<string>() };
            wording.stems.add(entry.word.token.stem);
            foreign.set(key, wording);
          }
        }
      }
      if (own.size > 0) continue;
      // Words of one wording, so that they say one thing of the wrong side, not a few common words of several.
      const best = [...foreign.values()]
        .filter(({ entry, stems }) => stems.size >= FOREIGN_WORDS && !found.has(entry.pointIndex))
        .sort((left, right) => right.stems.size - left.stems.size)[0];
      if (best === undefined) continue;
      const { keyPoint } = keyPoints[best.entry.pointIndex];
      found.set(best.entry.pointIndex, {
        id: `swapped_roles:${keyPoint.id}`,
        text: `States of ${sides[side].name} what holds for ${sides[best.entry.side].name}: ${keyPoint.text}`,
        kind: 'swapped_roles',
        keyPointId: keyPoint.id,
        evidence: quoteOf(answer, clause),
        penalty: UNLISTED_PENALTY,
      });
    }
  });
}

/** Key points stated with opposite words: "graph mode is slower" for "graph mode is faster", "64 KB" for "256 KB". */
function opposites(input: WrongClaimInput, found: Map<number, WrongClaim>): void {
  const { answer, keyPoints, roles, similarityOf } = input;
  const clauses = roles.contrasts.length > 0 ? clausesOf(answer, roles, 0) : segmentsOf(answer);
  keyPoints.forEach(({ keyPoint, variants }, pointIndex) => {
    if (found.has(pointIndex) || input.assessed[pointIndex].result.status === 'covered') return;
    const claimSides = sidesOfClaim(variants[0], roles.contrasts);
    for (const variant of variants) {
      const claimWords = variant.words.filter((word) => !word.fromQuestion);
      for (const clause of clauses) {
        if (!clause.every((word) => speaksOf(roles, claimSides, word))) continue;
        const match = matchClause(claimWords, clause, similarityOf);
        if (match.opposed < 0.08 || match.coverage + match.opposed < SWAPPED_AT || match.matchedWords < 2) continue;
        found.set(pointIndex, {
          id: `opposite:${keyPoint.id}`,
          text: `States the opposite of: ${keyPoint.text}`,
          kind: 'opposite',
          keyPointId: keyPoint.id,
          evidence: quoteOf(answer, clause),
          penalty: UNLISTED_PENALTY,
        });
        return;
      }
    }
  });
}

/**
 * Key points the answer names only to dismiss them: "Idempotency is overengineering", "dead letter
 * queues just hide problems, so I never configure them". A wrong claim like the others, read
 * clause by clause (dismissal.ts) so that "retrying at once is pointless, so I back off" dismisses
 * nothing the rubric asks for.
 */
function dismissals(input: WrongClaimInput, found: Map<number, WrongClaim>): void {
  input.assessed.forEach(({ deniedBy, coverage }, pointIndex) => {
    // A point the answer only brushes against in a dismissing sentence is not made, and no more:
    // "storing raw datasets in the database is overkill" is near the foreign-key point's words
    // ("dataset rows … the database enforces") without being about it.
    if (found.has(pointIndex) || deniedBy === null || coverage < input.settings.coveredAt) return;
    found.set(pointIndex, dismissalClaim(input.keyPoints[pointIndex].keyPoint, deniedBy));
  });
}

function dismissalClaim(keyPoint: PreparedKeyPoint['keyPoint'], evidence: string): WrongClaim {
  return {
    id: `dismissal:${keyPoint.id}`,
    text: `Dismisses: ${keyPoint.text}`,
    kind: 'dismissal',
    keyPointId: keyPoint.id,
    evidence,
    penalty: UNLISTED_PENALTY,
  };
}

/** A cue before a word, in its clause, by which a dismissal is of going without the word ("training without early stopping is pointless"). */
const DONE_WITHOUT_BEFORE = /\b(?:without|rather than|instead of|as opposed to)\b[^,;:.!?]*$/i;

/** A verdict clause of at most this many content words passes it on the one thing it names ("backoff just adds latency"). */
const SHORT_DISMISSAL = 3;

/**
 * Key points whose distinctive words the answer names only to dismiss them, wherever else it
 * quotes the point: "I split the data 80/20 into train and test; a validation set isn't needed"
 * makes no split into training, validation and test sets.
 */
function dismissedElsewhere(input: WrongClaimInput, found: Map<number, WrongClaim>): void {
  const { answer, keyPoints, similarityOf } = input;
  const clauses = input.dismissing.map(([start, end]) => ({
    text: answer.text.slice(start, end).trim(),
    words: answer.words.filter((word) => word.token.start >= start && word.token.end <= end),
  }));
  if (clauses.length === 0) return;
  keyPoints.forEach(({ keyPoint, variants }, pointIndex) => {
    if (found.has(pointIndex) || isDismissive(variants[0].text)) return;
    // Only what the point asks for, not what it rules out ("references rather than the data itself").
    const asksFor = (variant: AnalyzedText) =>
      distinctiveWords(variant).filter((word) => !ruledOutAt(variant.text, word.token.start));
    // Two of the distinctive words of any of its wordings name the point ("in-memory fake" is the
    // dependency-injection point's only in an alternative); one is enough only for its own text's.
    const ownText = asksFor(variants[0]);
    const stems = new Set(ownText.map((word) => word.token.stem));
    const alternatives = variants
      .slice(1)
      .flatMap(asksFor)
      .filter((word) => !stems.has(word.token.stem) && stems.add(word.token.stem));
    const clause = clauses.find(({ words, text }) => {
      // A refusal negates what it refuses ("I wouldn't track deployment history"): those words count.
      // Not a refusal of one side of a contrast for a use ("I wouldn't use DynamoDB for joins"): choosing
      // between the sides is what such a question asks.
      const refuses =
        isRefusal(text) && !input.roles.contrasts.some((sides) => words.some((word) => namesASide(word, sides)));
      const similarity = refuses ? input.plainSimilarityOf : similarityOf;
      const named = (candidates: readonly ContentWord[], wanted: readonly ContentWord[]) =>
        wanted.filter((one) =>
          candidates.some((word) => (refuses || !word.token.negated) && similarity(one, word) >= STRICT_MATCH),
        ).length;
      // "Training longer without early stopping is pointless" dismisses doing without the point.
      const goneWithout = words.filter((word) =>
        DONE_WITHOUT_BEFORE.test(answer.text.slice(Math.max(0, word.token.start - 80), word.token.start)),
      );
      if (named(goneWithout, ownText) > 0) return false;
      return (
        named(words, [...ownText, ...alternatives]) >= 2 ||
        (words.length <= SHORT_DISMISSAL && isVerdict(text) && named(words, ownText) >= 1)
      );
    });
    if (clause) found.set(pointIndex, dismissalClaim(keyPoint, clause.text));
  });
}

function segmentsOf(answer: AnalyzedText): ContentWord[][] {
  const groups = new Map<number, ContentWord[]>();
  for (const word of answer.words) {
    const group = groups.get(word.token.segment);
    if (group) group.push(word);
    else groups.set(word.token.segment, [word]);
  }
  return [...groups.values()];
}

/** Whether the words name each of the claim's sides themselves, rather than carrying it over from earlier sentences. */
function namesSidesOf(roles: RoleReading, claimSides: readonly number[], words: readonly ContentWord[]): boolean {
  return claimSides.every(
    (side, contrast) =>
      side < 0 ||
      words.some((word) => {
        const index = roles.tokenIndex.get(word.token) ?? -1;
        return index >= 0 && roles.named[contrast][index] === 1 && (roles.masks[contrast][index] & (1 << side)) !== 0;
      }),
  );
}

/** The rubric's misconceptions read as key points, made once per prepared rubric (the same array each time, so what is cached on it stays). */
const pointsOfMisconceptions = new WeakMap<readonly PreparedMisconception[], PreparedKeyPoint[]>();

function misconceptionsAsPoints(misconceptions: readonly PreparedMisconception[]): PreparedKeyPoint[] {
  const cached = pointsOfMisconceptions.get(misconceptions);
  if (cached) return cached;
  const points: PreparedKeyPoint[] = misconceptions.map(({ misconception, variants }) => ({
    keyPoint: {
      id: misconception.id,
      text: misconception.text,
      weight: 1,
      alternatives: misconception.alternatives,
      misconceptions: [],
    },
    variants,
  }));
  pointsOfMisconceptions.set(misconceptions, points);
  return points;
}

/** Whether a quote of the answer lies in the clause's words. */
function quotesIn(quote: string | null, answer: AnalyzedText, clause: readonly ContentWord[]): boolean {
  if (quote === null) return false;
  const start = answer.text.indexOf(quote);
  return clause.some((word) => word.token.start >= start && word.token.end <= start + quote.length);
}

/** Whether the clause says some of what makes a misconception wrong: one of its new words, or a dismissal where it dismisses. */
function leansWrong(
  { variants, novelWords }: PreparedMisconception,
  clause: readonly ContentWord[],
  similarityOf: WordSimilarity,
  clauseDismisses: boolean,
): boolean {
  return variants.some((variant) => {
    if (isDismissive(variant.text)) return clauseDismisses;
    const novel = variant.words.filter((word) => novelWords.has(word));
    return novel.length === 0 || matchClause(novel, clause, similarityOf, true).matchedWords >= 1;
  });
}

/** The clause's words the answer asserts: neither negated nor ruled out. */
function asserted(answer: AnalyzedText, clause: readonly ContentWord[]): ContentWord[] {
  return clause.filter((word) => !word.token.negated && !ruledOutAt(answer.text, word.token.start));
}

/**
 * A quote that reads this much more like a listed misconception than like the point it
 * contradicts does not make the point, even where the answer's words fall short of stating the
 * misconception for certain ("train for many more epochs" is no early stopping).
 */
const UNDERCUT_MARGIN = 0.3;

interface ListedReading {
  claims: WrongClaim[];
  /** Ids of the key points whose quote reads more like one of their misconceptions than like them. */
  undercut: Set<string>;
}

/** The rubric's misconceptions the answer states, where it does not state the right point more surely in the same place. */
function listedMisconceptions(input: WrongClaimInput): ListedReading {
  const { answer, misconceptions, roles, similarityOf, keyPoints } = input;
  const undercut = new Set<string>();
  if (misconceptions.length === 0) return { claims: [], undercut };
  const asPoints = misconceptionsAsPoints(misconceptions);
  const { dismissing } = input;
  const assessed = assessKeyPoints(
    asPoints,
    answer,
    similarityOf,
    { coveredAt: MISCONCEPTION_AT, partialAt: MISCONCEPTION_AT },
    {
      similarityFor: (index) => roleAwareSimilarity(roles, misconceptions[index].variants, similarityOf),
      dismissalDenies: false,
    },
  );
  const claims: WrongClaim[] = [];
  assessed.forEach((coverage, index) => {
    const { misconception, keyPointIndex, variants, novelWords, sideWords } = misconceptions[index];
    const evidence = coverage.result.evidence;
    if (coverage.result.status !== 'covered' || evidence === null) return;
    // The sentence (or bullet) the quote is in must state what makes the claim wrong, not only its topic.
    const start = answer.text.indexOf(evidence);
    const segment = answer.words.find((word) => word.token.start >= start)?.token.segment;
    const clause = answer.words.filter((word) => word.token.segment === segment);
    // A claim about one side of a contrast needs a sentence that names that side itself.
    if (!namesSidesOf(roles, sidesOfClaim(variants[0], roles.contrasts), clause)) return;
    const wrongSimilarity = roleAwareSimilarity(roles, variants, similarityOf) ?? similarityOf;
    const best = (texts: readonly AnalyzedText[], similarity: WordSimilarity) =>
      Math.max(...texts.map((text) => matchClause(text.words, clause, similarity).coverage));
    const point = keyPointIndex === null ? null : keyPoints[keyPointIndex];
    // How much more the sentence reads like the misconception than like the point it contradicts.
    const lead =
      point === null
        ? null
        : best(variants, wrongSimilarity) -
          best(point.variants, roleAwareSimilarity(roles, point.variants, similarityOf) ?? similarityOf);
    const leads = lead !== null && lead >= UNDERCUT_MARGIN;
    const dismissesHere = clauseAt(dismissing, clause[0].token.start, clause[clause.length - 1].token.end) !== null;
    // The point's quote lies in this sentence, which reads more like the mistake than the point
    // and says some of what makes the claim wrong.
    if (
      point !== null &&
      leads &&
      quotesIn(input.assessed[keyPointIndex!].result.evidence, answer, clause) &&
      leansWrong(misconceptions[index], clause, wrongSimilarity, dismissesHere)
    ) {
      undercut.add(point.keyPoint.id);
    }
    const statesIt = variants.some((variant) => {
      const whole = matchClause(variant.words, clause, wrongSimilarity);
      // One sentence must state it ("…stop words… TF-IDF." then "Nowadays you could also use BERT."
      // is no "stem the text before feeding it to BERT"), and not its opposite ("smaller and
      // faster" against "making the model larger").
      if (whole.coverage < MISCONCEPTION_AT - 0.1 || whole.opposed > 0) return false;
      const novel = variant.words.filter((word) => novelWords.has(word));
      // Without new words, every one of its words ("it has limited transactions" is no "DynamoDB
      // lacks any transaction support"; "training loss keeps dropping" no "its training loss goes up"),
      // or all but one in a sentence that reads far more like it than like its point ("the average is
      // the most reliable way to see intermittent spikes" for "average latency is enough to…").
      // A point's words said of a side it does not speak of ("the test set gets augmented as well"):
      // the side named, and the rest but one word, as much of it as makes a misconception.
      const fully = (words: readonly ContentWord[], missing: number, at = WITHOUT_NOVEL_AT) => {
        const match = matchClause(words, clause, wrongSimilarity);
        return match.coverage >= at && match.matchedWords >= words.length - missing;
      };
      const moved = variant.words.filter((word) => sideWords.has(word));
      if (novel.length === 0 && moved.length > 0 && matchClause(moved, clause, wrongSimilarity, true).matchedWords > 0)
        return fully(
          variant.words.filter((word) => !moved.includes(word)),
          1,
          MISCONCEPTION_AT,
        );
      if (novel.length === 0) return fully(variant.words, leads ? 1 : 0);
      // Most of it, in a sentence that reads far more like it than like its point ("the average is
      // the most reliable way to see spikes" for "the average latency alone explains…"); a mistake
      // that is a dismissal needs the sentence to dismiss ("after the fix we graphed memory" is no
      // "after the fix there is no need to watch memory").
      if (leads && whole.coverage >= WITHOUT_NOVEL_AT && (!isDismissive(variant.text) || dismissesHere)) return true;
      // More than one new word, where it has several: "instance" alone does not say "give the instances more RAM".
      const match = matchClause(novel, clause, wrongSimilarity, true);
      if (leads && matchClause(novel, asserted(answer, clause), wrongSimilarity, true).matchedWords >= 1) return true;
      return match.coverage >= NOVEL_AT && match.matchedWords >= Math.min(2, novel.length);
    });
    if (!statesIt) return;
    // The sentence must state the misconception more than the point it contradicts.
    if (lead !== null && lead <= 0) return;
    claims.push({
      id: misconception.id,
      text: misconception.text,
      kind: 'listed',
      keyPointId: point?.keyPoint.id ?? null,
      evidence,
      penalty: misconception.penalty / input.maxScore,
    });
  });
  return { claims, undercut };
}

export interface WrongClaimReading {
  /** Every wrong claim of the answer, listed misconceptions first, one unlisted claim per key point at most. */
  claims: WrongClaim[];
  /**
   * Ids of key points whose quote reads more like a listed misconception than like the point,
   * where the answer does not state the misconception surely enough to cost points: not made, not
   * penalised.
   */
  undercut: ReadonlySet<string>;
}

export function findWrongClaims(input: WrongClaimInput): WrongClaimReading {
  const { claims: listed, undercut } = listedMisconceptions(input);
  // A point a listed misconception contradicts gets no unlisted claim as well.
  const byPoint = new Map(listed.map((claim) => [claim.keyPointId, claim]));
  const found = new Map<number, WrongClaim>();
  input.keyPoints.forEach(({ keyPoint }, index) => {
    const claim = byPoint.get(keyPoint.id);
    if (claim) found.set(index, claim);
  });
  swappedRoles(input, found);
  saidOfTheOtherSide(input, found);
  opposites(input, found);
  dismissals(input, found);
  dismissedElsewhere(input, found);
  const unlisted = [...found.values()].filter((claim) => claim.kind !== 'listed');
  return { claims: [...listed, ...unlisted], undercut };
}
