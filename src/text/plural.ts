/** "answer" or "answers" for a count of them; `many` for words that do not just add an s. */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** "1 answer", "2 answers". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${noun(count, one, many)}`;
}
