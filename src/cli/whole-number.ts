import { AnswerkeyError } from '../errors/answerkey-error.js';

/** A flag's value as a whole number within bounds, or a usage error naming the flag and what was given. */
export function parseWholeNumber(
  text: string,
  flag: string,
  { minimum, maximum }: { minimum: number; maximum?: number },
): number {
  // Digits only: Number() alone would take "0x2", "1e3" and "" (as 0).
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < minimum || (maximum !== undefined && value > maximum)) {
    const range = maximum === undefined ? `≥ ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new AnswerkeyError('invalid_input', `${flag} must be a whole number ${range}, not "${text}"`, {
      hint: 'see --help for what it sets',
    });
  }
  return value;
}
