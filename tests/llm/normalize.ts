/** Whitespace collapsed and curly quotes straightened, as the evidence check compares. */
export function normalizeForComparison(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
