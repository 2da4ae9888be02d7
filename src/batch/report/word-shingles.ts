/** Words of a text, lower-cased, with where each sits in the original (to quote the shared spans). */
export type ShingledText = { starts: number[]; ends: number[]; shingles: Uint32Array };

/** Four words in a row: a phrase long enough that two writers rarely share it by chance, short enough to survive small edits. */
export const SHINGLE_WORDS = 4;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/**
 * The text's words (after normalising case and whitespace; punctuation dropped) and a 32-bit hash
 * of every run of four of them: shingle i covers words i…i+3.
 */
export function shingleText(text: string): ShingledText {
  const starts: number[] = [];
  const ends: number[] = [];
  const hashes: number[] = [];
  for (const match of text.matchAll(WORD)) {
    starts.push(match.index);
    ends.push(match.index + match[0].length);
    hashes.push(fnv1a(match[0].toLowerCase().replace('’', "'")));
  }
  const count = Math.max(0, hashes.length - SHINGLE_WORDS + 1);
  const shingles = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) {
    let hash = 0x811c9dc5;
    for (let offset = 0; offset < SHINGLE_WORDS; offset += 1)
      hash = Math.imul(hash ^ hashes[index + offset], 0x01000193) >>> 0;
    shingles[index] = hash;
  }
  return { starts, ends, shingles };
}

function fnv1a(word: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index += 1)
    hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

/** The spans of `text` (as shingled) made of shingles `other` also has, longest first, as the original text. */
export function sharedSpans(text: string, shingled: ShingledText, other: ReadonlySet<number>, limit = 3): string[] {
  const spans: { from: number; to: number }[] = [];
  let open: { from: number; to: number } | undefined;
  shingled.shingles.forEach((shingle, index) => {
    if (!other.has(shingle)) return;
    const to = index + SHINGLE_WORDS - 1;
    if (open && index <= open.to + 1) open.to = to;
    else spans.push((open = { from: index, to }));
  });
  return spans
    .sort((left, right) => right.to - right.from - (left.to - left.from))
    .slice(0, limit)
    .map(({ from, to }) => text.slice(shingled.starts[from], shingled.ends[to]).replace(/\s+/g, ' '));
}
