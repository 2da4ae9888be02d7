const QUOTE_MARKS: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"' };

/** Whitespace collapsed and typographic quotes straightened, with where each character came from. */
function normalizeWithOrigins(text: string): { text: string; origins: number[] } {
  let normalized = '';
  const origins: number[] = [];
  let pendingSpace = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (/\s/.test(character)) {
      pendingSpace = normalized.length > 0;
      continue;
    }
    if (pendingSpace) {
      normalized += ' ';
      origins.push(index - 1);
      pendingSpace = false;
    }
    normalized += QUOTE_MARKS[character] ?? character;
    origins.push(index);
  }
  return { text: normalized, origins };
}

/** The last answer normalised: a grade checks all of its quotes against one answer. */
let lastAnswer: { answer: string; normalized: { text: string; origins: number[] } } | undefined;

function normalizedAnswer(answer: string): { text: string; origins: number[] } {
  if (lastAnswer?.answer !== answer) lastAnswer = { answer, normalized: normalizeWithOrigins(answer) };
  return lastAnswer.normalized;
}

const WRAPPING = /^["'`.…\s]+|["'`.…\s]+$/g;

export type VerifiedEvidence = { text: string; start: number; end: number };

/**
 * Where the model's quote occurs in the answer (exact, after whitespace normalisation), as the
 * answer's own text; null when the model invented it. Surrounding quote marks and ellipses are
 * the model's punctuation, not the candidate's, so they are trimmed before looking.
 */
export function verifyEvidence(evidence: string | null, answer: string): VerifiedEvidence | null {
  if (evidence === null) return null;
  const quote = normalizeWithOrigins(evidence).text.replace(WRAPPING, '');
  if (quote.length === 0) return null;
  const haystack = normalizedAnswer(answer);
  const position = haystack.text.indexOf(quote);
  if (position === -1) return null;
  const start = haystack.origins[position];
  const end = haystack.origins[position + quote.length - 1] + 1;
  return { text: answer.slice(start, end), start, end };
}

const SENTENCE_END = /[.!?](?=\s|$)|\n/g;

export type SentenceSpan = { start: number; end: number; text: string };

/** The sentence (or line) of the answer around [start, end): what a quote must state its point in. */
export function sentenceAround(answer: string, start: number, end: number): SentenceSpan {
  let from = 0;
  let to = answer.length;
  for (const match of answer.matchAll(SENTENCE_END)) {
    const boundary = match.index + match[0].length;
    if (boundary <= start) from = boundary;
    else if (match.index >= end - 1) {
      to = boundary;
      break;
    }
  }
  const text = answer.slice(from, to);
  const leading = text.length - text.trimStart().length;
  return { start: from + leading, end: from + text.trimEnd().length, text: text.trim() };
}
