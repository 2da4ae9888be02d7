/** `count` pseudo-random lowercase letters, the same for the same seed: words no vocabulary holds. */
export function randomLetters(count: number, seed = 7): string {
  let state = seed;
  let text = '';
  for (let index = 0; index < count; index += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    text += 'abcdefghijklmnopqrstuvwxyz'[state % 26];
  }
  return text;
}

/**
 * 20,000 characters of ~3,400 distinct made-up five-letter words: the hostile answer of
 * bench/hostile-answers.mjs that held /healthz longest (issue #12). Each word needs its own trigram
 * vector, and the answer scores low, so the off-topic guard searches the index for it.
 */
export function distinctUnknownWords(): string {
  return Array.from({ length: 3_400 }, (_, index) => randomLetters(5, index + 1))
    .join(' ')
    .slice(0, 20_000);
}
