import { randomBytes } from 'node:crypto';

export type FencedAnswer = {
  /** The answer between its opening and closing delimiter lines. */
  text: string;
  delimiter: string;
  /** Delimiter look-alikes found in the answer and defused: a sign of an attempt to break out. */
  neutralized: number;
};

/** Anything shaped like our delimiters (any token), so an answer cannot close its own fence. */
const LOOK_ALIKE = /<{2,}\s*\/?\s*(?:END[\s_-]*)?(?:OF[\s_-]*)?(?:CANDIDATE[\s_-]*)?ANSWER\b[^>\n]{0,80}>{2,}/gi;

export function newDelimiter(): string {
  return `ANSWER-${randomBytes(12).toString('hex')}`;
}

/** The answer with delimiter look-alikes replaced, and how many there were. */
export function neutralizeDelimiters(answer: string): { text: string; count: number } {
  let count = 0;
  const text = answer.replace(LOOK_ALIKE, () => {
    count += 1;
    return '[delimiter removed]';
  });
  return { text, count };
}

/**
 * Fences the candidate's text with a per-request random delimiter. The delimiter cannot be
 * guessed, and look-alikes inside the answer are replaced, so the model sees where data ends.
 */
export function fenceAnswer(answer: string, delimiter: string = newDelimiter()): FencedAnswer {
  const { text: cleaned, count } = neutralizeDelimiters(answer);
  let neutralized = count;
  const safe = cleaned.split(delimiter).join('[delimiter removed]');
  if (safe !== cleaned) neutralized += 1;
  return { text: `<<<${delimiter}>>>\n${safe}\n<<<END-${delimiter}>>>`, delimiter, neutralized };
}
