import type { Contrast } from '../../rubrics/rubric-schema.js';
import type { AnalyzedText, ContentWord } from '../../similarity/analyzed-text.js';
import { tokenize, type Token } from '../../text/tokenize.js';

/**
 * Who does what: the alternatives a question sets against each other (eager and graph execution,
 * DynamoDB and PostgreSQL) and which of them each clause of a text speaks of. Word alignment alone
 * cannot tell "graph mode runs each op immediately" from "eager mode runs each op immediately";
 * with the sides read per clause, a key point about one side is only made by clauses about it.
 */
export interface ContrastSide {
  readonly name: string;
  /** Each term as the stems of its content words ("tf.function" → tf, function). */
  readonly terms: readonly (readonly string[])[];
}

export type ContrastSides = readonly ContrastSide[];

function termStems(term: string): string[] {
  return tokenize(term)
    .filter((token) => !token.isStopword)
    .map((token) => token.stem);
}

/** A rubric's declared contrast: each side named by its key and its terms. */
export function sidesOfContrast(contrast: Contrast): ContrastSides {
  return Object.entries(contrast).map(([name, terms]) => ({
    name,
    // The key is a name, not necessarily a term: "graph" alone would claim "a computational graph".
    terms: (terms.length > 0 ? terms : [name]).map(termStems).filter((stems) => stems.length > 0),
  }));
}

/** "differences between X and Y", "X vs Y", "compare X and/with/to Y": the two phrases. */
const CONTRAST_PATTERNS: readonly RegExp[] = [
  /\bdifferences?\s+between\s+(.+?)\s+and\s+(.+?)(?=[,.?;:!]|\s+(?:in|when|and|for|with)\s|$)/i,
  /\b(?:compare|contrast)\s+(.+?)\s+(?:and|with|to|versus|vs\.?)\s+(.+?)(?=[,.?;:!]|\s+(?:in|when|and|for)\s|$)/i,
  /\b([\w.-]+(?:\s+[\w.-]+)?)\s+(?:vs\.?|versus)\s+([\w.-]+(?:\s+[\w.-]+)?)/i,
];

/**
 * The contrast a question sets up, when it names two alternatives: each side is the words of its
 * phrase that the other lacks ("eager execution" / "graph execution" → eager / graph).
 */
export function contrastOfQuestion(question: string): ContrastSides | undefined {
  for (const pattern of CONTRAST_PATTERNS) {
    const match = pattern.exec(question);
    if (!match) continue;
    const left = tokenize(match[1]).filter((token) => !token.isStopword);
    const right = tokenize(match[2]).filter((token) => !token.isStopword);
    // A longer phrase names its alternative in the word next to "and" / "versus": "… when you would choose DynamoDB".
    const leftOwn = left
      .filter((token) => !right.some((other) => other.stem === token.stem))
      .slice(left.length > 2 ? -1 : 0);
    const rightOwn = right
      .filter((token) => !left.some((other) => other.stem === token.stem))
      .slice(0, right.length > 2 ? 1 : undefined);
    if (leftOwn.length === 0 || rightOwn.length === 0) continue;
    const side = (tokens: Token[]) => ({
      name: tokens.map((token) => token.word).join(' '),
      terms: tokens.map((token) => [token.stem]),
    });
    return [side(leftOwn), side(rightOwn)];
  }
  return undefined;
}

/** Words that open a clause about something else ("eager runs at once, *while* graph …"). */
const CLAUSE_OPENERS: ReadonlySet<string> = new Set([
  'while',
  'whereas',
  'but',
  'however',
  'unlike',
  'whilst',
  'although',
  'though',
  'instead',
  'then',
  'so',
  'meanwhile',
]);
const CLAUSE_BREAK = /[,;:()[\]—–]/;
const JOINERS: ReadonlySet<string> = new Set(['and', 'or']);

/**
 * For each token of a text, a bit set of the contrast's sides its clause speaks of (0: none
 * named, nor in a clause before it): the side it names first. A clause naming no side speaks of
 * the last one named ("Graph mode traces the function. It then optimises it").
 */
export function sidesByToken(
  tokens: readonly Token[],
  text: string,
  sides: ContrastSides,
): { sides: Uint8Array; clauses: Uint32Array; named: Uint8Array } {
  const mentioned = new Uint8Array(tokens.length);
  const content = tokens.map((token, index) => ({ token, index })).filter(({ token }) => !token.isStopword);
  const contentStems = content.map(({ token }) => token.stem);
  content.forEach(({ index }, position) => {
    // What a clause compares with is not what it speaks of: "debugging is easier than in eager".
    if (isComparedWith(tokens, index)) return;
    sides.forEach((side, sideIndex) => {
      if (termLengthAt(contentStems, position, side) > 0) mentioned[index] |= 1 << sideIndex;
    });
  });
  const result = new Uint8Array(tokens.length);
  const clauses = new Uint32Array(tokens.length);
  // 1 where the token's clause names its side itself, rather than speaking of the last one named.
  const named = new Uint8Array(tokens.length);
  let clauseStart = 0;
  let clause = 0;
  let carried = 0;
  // A clause speaks of the side it names first, its subject: "eager mode builds no graph first".
  const closeClause = (end: number) => {
    let mask = 0;
    for (let index = clauseStart; index < end && mask === 0; index += 1) mask = mentioned[index];
    if (mask === 0) mask = carried;
    else {
      carried = mask;
      named.fill(1, clauseStart, end);
    }
    result.fill(mask, clauseStart, end);
    clauses.fill(clause, clauseStart, end);
    clause += 1;
  };
  for (let index = 1; index < tokens.length; index += 1) {
    const token = tokens[index];
    const previous = tokens[index - 1];
    const opensClause =
      token.segment !== previous.segment ||
      CLAUSE_BREAK.test(text.slice(previous.end, token.start)) ||
      CLAUSE_OPENERS.has(token.word) ||
      // "eager runs ops at once *and* graph builds a graph": a joiner before another side's name.
      (JOINERS.has(token.word) && nextMention(mentioned, tokens, index + 1) !== 0);
    if (opensClause) {
      closeClause(index);
      clauseStart = index;
    }
  }
  closeClause(tokens.length);
  return { sides: result, clauses, named };
}

/** The length of the longest of a side's terms that the stems spell from `position` on, 0 for none. */
function termLengthAt(stems: readonly string[], position: number, side: ContrastSide): number {
  let longest = 0;
  for (const term of side.terms)
    if (term.length > longest && term.every((stem, offset) => stems[position + offset] === stem)) longest = term.length;
  return longest;
}

/** Words between "than" and what it compares with: "than in eager", "than with the average". */
const COMPARISON_FILLERS: ReadonlySet<string> = new Set(['in', 'with', 'on', 'under', 'using', 'the', 'a', 'an']);

/** Whether a token is what a comparison is made with: it follows "than", past a preposition or article. */
function isComparedWith(tokens: readonly Token[], index: number): boolean {
  for (let before = index - 1; before >= 0 && before >= index - 3; before -= 1) {
    if (tokens[before].word === 'than') return true;
    if (!COMPARISON_FILLERS.has(tokens[before].word)) return false;
  }
  return false;
}

/** The sides named by the next content words (up to two, past "the" and the like). */
function nextMention(mentioned: Uint8Array, tokens: readonly Token[], from: number): number {
  let seen = 0;
  for (let index = from; index < tokens.length && seen < 2; index += 1) {
    if (mentioned[index] !== 0) return mentioned[index];
    if (!tokens[index].isStopword) seen += 1;
  }
  return 0;
}

/** The one side a short text (a key point, a misconception) names, or -1 for none or several. */
export function sideOfText(text: AnalyzedText, sides: ContrastSides): number {
  let mask = 0;
  const content = text.tokens.filter((token) => !token.isStopword).map((token) => token.stem);
  content.forEach((_, position) => {
    sides.forEach((side, sideIndex) => {
      if (termLengthAt(content, position, side) > 0) mask |= 1 << sideIndex;
    });
  });
  return mask !== 0 && (mask & (mask - 1)) === 0 ? Math.log2(mask) : -1;
}

/** Whether a word is one of the terms that name a side (its role word, not what is said of it). */
export function namesASide(word: ContentWord, sides: ContrastSides): boolean {
  return sides.some((side) => side.terms.some((stems) => stems.includes(word.token.stem)));
}

/** The content words of a text that are part of a term naming a side in full ("test set", not "data" of "test data"). */
export function sideTermWords(text: AnalyzedText, sides: ContrastSides): ContentWord[] {
  const stems = text.words.map((word) => word.token.stem);
  const named = new Set<number>();
  stems.forEach((_, start) => {
    for (const side of sides)
      for (let offset = 0; offset < termLengthAt(stems, start, side); offset += 1) named.add(start + offset);
  });
  return text.words.filter((_, position) => named.has(position));
}

/** The answer read against every contrast: per contrast, the sides of each token. */
export interface RoleReading {
  readonly contrasts: readonly ContrastSides[];
  /** Per contrast, the sides bit set of each token of the answer. */
  readonly masks: readonly Uint8Array[];
  /** Per contrast, the clause of each token (clauses split where a sentence turns to another side). */
  readonly clauses: readonly Uint32Array[];
  /** Per contrast, 1 for each token whose clause names its side itself. */
  readonly named: readonly Uint8Array[];
  readonly tokenIndex: ReadonlyMap<Token, number>;
}

export function readRoles(answer: AnalyzedText, contrasts: readonly ContrastSides[]): RoleReading {
  const readings = contrasts.map((sides) => sidesByToken(answer.tokens, answer.text, sides));
  return {
    contrasts,
    masks: readings.map((reading) => reading.sides),
    clauses: readings.map((reading) => reading.clauses),
    named: readings.map((reading) => reading.named),
    tokenIndex: new Map(answer.tokens.map((token, index) => [token, index])),
  };
}

const claimWordSides = new WeakMap<AnalyzedText, WeakMap<readonly ContrastSides[], Map<ContentWord, number[]>>>();

/**
 * Per content word of a claim (a key point or misconception wording), per contrast, the one side
 * its clause speaks of, or -1: "DynamoDB scales horizontally with little effort, | while scaling
 * PostgreSQL takes more work" gives "scales" to DynamoDB and "work" to PostgreSQL.
 */
export function sidesOfClaimWords(
  variant: AnalyzedText,
  contrasts: readonly ContrastSides[],
  claimSides?: readonly number[],
): Map<ContentWord, number[]> {
  let byContrasts = claimWordSides.get(variant);
  if (!byContrasts) claimWordSides.set(variant, (byContrasts = new WeakMap()));
  let sides = byContrasts.get(contrasts);
  if (sides) return sides;
  // A wording that names no side ("each op executes right away") speaks of the claim's side.
  const readings = contrasts.map((contrast, index) => {
    const masks = sidesByToken(variant.tokens, variant.text, contrast).sides;
    const side = claimSides?.[index] ?? -1;
    return masks.every((mask) => mask === 0) && side >= 0 ? masks.fill(1 << side) : masks;
  });
  const tokenIndex = new Map(variant.tokens.map((token, index) => [token, index]));
  sides = new Map(
    variant.words.map((word) => {
      const index = tokenIndex.get(word.token) ?? 0;
      return [
        word,
        readings.map((masks) =>
          masks[index] !== 0 && (masks[index] & (masks[index] - 1)) === 0 ? Math.log2(masks[index]) : -1,
        ),
      ];
    }),
  );
  byContrasts.set(contrasts, sides);
  return sides;
}

/** Per contrast, the side a key point or misconception is about (-1: none in particular). */
export function sidesOfClaim(variant: AnalyzedText, contrasts: readonly ContrastSides[]): number[] {
  return contrasts.map((sides) => sideOfText(variant, sides));
}

/** Whether an answer word speaks of the claim's sides: its clause names them, or names no side at all. */
export function speaksOf(roles: RoleReading, claimSides: readonly number[], word: ContentWord): boolean {
  const index = roles.tokenIndex.get(word.token) ?? -1;
  return claimSides.every((side, contrast) => {
    if (side < 0 || index < 0) return true;
    const mask = roles.masks[contrast][index];
    return mask === 0 || (mask & (1 << side)) !== 0;
  });
}

/** The other side an answer word's clause speaks of, for a claim about `side`; -1 when it speaks of that side or none. */
export function otherSideOf(roles: RoleReading, contrast: number, side: number, word: ContentWord): number {
  const index = roles.tokenIndex.get(word.token) ?? -1;
  // Only a clause that names the other side itself: a side carried over from earlier sentences is too loose a reading to accuse an answer of.
  if (index < 0 || side < 0 || roles.named[contrast][index] === 0) return -1;
  const mask = roles.masks[contrast][index];
  if (mask === 0 || (mask & (1 << side)) !== 0) return -1;
  return Math.log2(mask & -mask);
}
