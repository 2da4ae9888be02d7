/**
 * Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides that
 * reorder how a line reads ("Trojan source"): what text from input must not send to a terminal raw.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text with every such character written as a visible `\uXXXX` escape: a terminal shows it rather
 * than obeying it, and inside a JSON string (where it can only be) the escape means the same character.
 * `keep` matches sequences of the program's own to leave as they are (its colours).
 */
export function printable(text: string, keep?: RegExp): string {
  if (!keep) return text.replace(UNPRINTABLE, escaped);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(new RegExp(keep.source, 'g'))) {
    result += text.slice(last, match.index).replace(UNPRINTABLE, escaped) + match[0];
    last = match.index + match[0].length;
  }
  return result + text.slice(last).replace(UNPRINTABLE, escaped);
}
