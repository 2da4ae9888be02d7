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
