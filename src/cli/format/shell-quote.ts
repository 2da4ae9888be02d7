/** A word for a POSIX shell command line: as is when it is safe, in double quotes when only spaces and punctuation need them, else in single quotes. */
export function shellQuote(text: string): string {
  if (/^[\w./:@%+=,-]+$/.test(text)) return text;
  if (/^[\w\s./:@%+=,?'’()-]*$/.test(text) && !text.includes("'")) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
