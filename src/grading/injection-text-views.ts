/**
 * Readings of an answer that undo the disguises injections wear, each with where every character
 * came from, so a span found in a reading maps back to the answer itself.
 */
export type TextView = { text: string; origins: number[] };

/** Zero-width characters, bidi controls, soft hyphens and other invisible format characters. */
// Combining and joining marks are listed one by one on purpose: each is a character to strip.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/;

/** Cyrillic and Greek letters drawn like Latin ones ("іgnоrе" with Cyrillic і, о, е). */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

/** Digits and signs standing for letters, read only inside words that also have letters ("fu11 m4rk5"). */
const LEET: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's' };

/** NFKC (full-width letters, ligatures, styled mathematical letters) with invisible characters dropped. */
export function normalizedView(text: string): TextView {
  // Plain ASCII is its own NFKC and has no invisible characters: the usual case, read as is.
  if (/^[\x00-\x7E]*$/.test(text)) return { text, origins: Array.from({ length: text.length }, (_, index) => index) };
  let normalized = '';
  const origins: number[] = [];
  let index = 0;
  for (const character of text) {
    if (!INVISIBLE.test(character)) {
      const folded = character.normalize('NFKC');
      normalized += folded;
      for (let position = 0; position < folded.length; position += 1) origins.push(index);
    }
    index += character.length;
  }
  return { text: normalized, origins };
}

const MIXED_WORD = /[\p{L}\p{N}@$]+/gu;
const LATIN = /[A-Za-z]/;

/** A leet word in letters; a doubled "11" reads "ll" ("fu11"), a single "1" as `one`. */
function readLeet(word: string, one: 'i' | 'l'): string {
  return word.replace(/11/g, 'll').replace(/./gu, (letter) => (letter === '1' ? one : (LEET[letter] ?? letter)));
}

const LEET_SENTENCE = /[^.!?\n]+/g;

/** A word mixing letters with digits or signs that stand for letters ("m4rk5"). */
function isLeetWord(word: string): boolean {
  return LATIN.test(word) && [...word].some((letter) => letter in LEET || letter === '1');
}

/**
 * Look-alike letters read as Latin in words that mix scripts, and leetspeak in words that mix
 * letters and digits (in a sentence with two such words, numbers too: "45" for "as"); `one`
 * says whether a "1" reads as "i" or "l". Whole Cyrillic or Greek words are left alone, so
 * Russian text still reads as Russian.
 */
/** Nothing to undo: no letter beside a digit or sign, no Cyrillic or Greek letter. */
const NOTHING_DISGUISED = /^(?:(?![A-Za-z][0-9@$]|[0-9@$][A-Za-z])[^\u0370-\u03FF\u0400-\u04FF\u0500-\u052F\u0261])*$/s;

export function deobfuscatedView(view: TextView, one: 'i' | 'l'): TextView {
  if (NOTHING_DISGUISED.test(view.text)) return view;
  const latinised = view.text.replace(MIXED_WORD, (word) => {
    const letters = [...word];
    const mixesScripts = letters.some((letter) => LATIN.test(letter)) && letters.some((letter) => letter in HOMOGLYPHS);
    return mixesScripts ? letters.map((letter) => HOMOGLYPHS[letter] ?? letter).join('') : word;
  });
  const text = latinised.replace(LEET_SENTENCE, (sentence) => {
    const leetWords = (sentence.match(MIXED_WORD) ?? []).filter(isLeetWord).length;
    if (leetWords === 0) return sentence;
    return sentence.replace(MIXED_WORD, (word) =>
      isLeetWord(word) || (leetWords >= 2 && /^\d{1,3}$/.test(word)) ? readLeet(word, one) : word,
    );
  });
  // Every replacement is one UTF-16 unit for one, so the origins carry over unchanged.
  return { text, origins: view.origins };
}

const BASE64_BLOB = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

export type DecodedBlob = { start: number; end: number; text: string };

/** Base64 runs of the answer that decode to readable text, with their place in the answer. */
export function decodedBase64Blobs(text: string): DecodedBlob[] {
  const blobs: DecodedBlob[] = [];
  for (const match of text.matchAll(BASE64_BLOB)) {
    const blob = match[0];
    // A word, a path or an identifier is not base64 worth decoding: require mixed case or digits.
    if (!/[A-Z]/.test(blob) || !/[a-z]/.test(blob)) continue;
    const decoded = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const readable = decoded.replace(/[^\p{L}\p{N}\p{P}\s]/gu, '');
    if (decoded.length >= 8 && readable.length / decoded.length > 0.9 && /\p{L}{3}/u.test(decoded)) {
      blobs.push({ start: match.index, end: match.index + blob.length, text: decoded });
    }
  }
  return blobs;
}
