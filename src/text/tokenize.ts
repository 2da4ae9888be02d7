import { NEGATION_CUES, STOPWORDS } from './stopwords.js';
import { stem } from './stem.js';

export interface Token {
  /** Lower-cased form looked up in the word vectors. */
  readonly word: string;
  readonly stem: string;
  /** Character offsets of the token in the original text, for quoting evidence. */
  readonly start: number;
  readonly end: number;
  readonly isStopword: boolean;
  /** True when a negation cue governs this token ("does *not* scale"). */
  readonly negated: boolean;
  /** Index of the segment (sentence, bullet or clause) the token belongs to. */
  readonly segment: number;
}

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
/** How many content words a negation cue reaches before its scope ends. */
const NEGATION_REACH = 4;
/** Words that open a new clause, which a negation before them does not reach ("does not scale because it locks"). */
const CLAUSE_OPENERS: ReadonlySet<string> = new Set([
  'but',
  'because',
  'so',
  'since',
  'which',
  'that',
  'when',
  'while',
  'whereas',
  'although',
  'though',
  'if',
  'then',
  'unless',
]);
/**
 * Cues that negate a noun phrase, not a verb and what follows it: the phrase ends at the first
 * function word after it ("*no limit* to the number", "*without retries* in the client").
 */
const PHRASE_CUES: ReadonlySet<string> = new Set(['no', 'without', 'none', 'nothing', 'lack', 'lacks']);
// Only punctuation followed by white space ends a sentence: "tf.function" and "3.12" do not.
const SCOPE_BREAK = /[.!?:]["')\]]*\s|[;,\n]/;
const SEGMENT_BREAK = /[.!?]["')\]]*\s|[;\n]/;

/** Number words share their digits' stem, so "one element" matches "size 1" (the vectors know neither digit). */
/** A table's own entry for a word: "constructor" must not find Object.prototype.constructor. */
function ownValue(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const NUMBER_STEMS: Record<string, string> = {
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
};

const CONTRACTION_BASES: Record<string, string> = { can: 'can', won: 'will', shan: 'shall' };

function splitContraction(raw: string): { base: string; negates: boolean } {
  const apostrophe = raw.search(/['’]/);
  if (apostrophe < 0) return { base: raw, negates: false };
  const prefix = raw.slice(0, apostrophe);
  const suffix = raw.slice(apostrophe + 1);
  if (suffix === 't' && prefix.endsWith('n')) {
    return { base: ownValue(CONTRACTION_BASES, prefix) ?? prefix.slice(0, -1), negates: true };
  }
  return { base: prefix, negates: false };
}

/** The pronouns that open a relative clause ("responses *that* don't change"). */
const RELATIVE_PRONOUNS: ReadonlySet<string> = new Set(['that', 'which', 'who']);
/** The verbs by which a main clause goes on after a relative clause ("responses that don't change *are* cached"). */
const MAIN_VERB_AFTER_RELATIVE: ReadonlySet<string> = new Set([
  'is',
  'are',
  'was',
  'were',
  'get',
  'gets',
  'go',
  'goes',
]);

/** Splits text into tokens with offsets, stopword and negation marks, and segment numbers. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let segment = 0;
  let negationLeft = 0;
  let phraseNegation = false;
  let relativeNegation = false;
  let previousWord = '';
  let previousEnd = 0;
  // Matched on the original text (not a lower-cased copy, whose length can differ: "İ").
  for (const match of text.matchAll(WORD_PATTERN)) {
    const start = match.index;
    const gap = text.slice(previousEnd, start);
    if (tokens.length > 0 && SEGMENT_BREAK.test(gap)) segment += 1;
    if (SCOPE_BREAK.test(gap)) negationLeft = 0;
    previousEnd = start + match[0].length;
    const { base, negates } = splitContraction(match[0].toLowerCase());
    const isStopword = STOPWORDS.has(base) || NEGATION_CUES.has(base);
    if (CLAUSE_OPENERS.has(base)) negationLeft = 0;
    // A relative clause's negation ends where the main clause's verb begins: "responses that don't change are cached".
    else if (relativeNegation && MAIN_VERB_AFTER_RELATIVE.has(base)) negationLeft = 0;
    // A noun phrase's negation ends at the first function word after one of its words.
    else if (phraseNegation && isStopword && negationLeft < NEGATION_REACH) negationLeft = 0;
    const negated = negationLeft > 0 && !isStopword;
    if (negated) negationLeft -= 1;
    tokens.push({
      word: base,
      stem: ownValue(NUMBER_STEMS, base) ?? stem(base),
      start,
      end: previousEnd,
      isStopword,
      negated,
      segment,
    });
    if (negates || NEGATION_CUES.has(base)) {
      negationLeft = NEGATION_REACH;
      phraseNegation = !negates && PHRASE_CUES.has(base);
      relativeNegation = RELATIVE_PRONOUNS.has(previousWord);
    }
    previousWord = base;
  }
  return tokens;
}

export function contentTokens(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => !token.isStopword);
}
