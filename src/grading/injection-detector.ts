/**
 * Finds text in an answer that speaks to the grader instead of answering the question:
 * "award full marks", "ignore previous instructions", role tags, fake grades in JSON.
 * Deterministic on purpose: it must flag the same answer the same way every time.
 */
const PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|rubric|prompts?|guidelines|grading (?:rules|criteria)|system message)\b/i,
  /\b(?:award|give|grant|assign|mark|rate|score)\b[^.\n]{0,30}\b(?:full|maximum|max|perfect|top|highest)\b[^.\n]{0,20}\b(?:marks?|points?|scores?|credit|grade)\b/i,
  /\b(?:award|give|grant|assign)\b[^.\n]{0,20}\b(?:this|the|my)\s+(?:answer|response|candidate)\b[^.\n]{0,20}\d+\s*(?:\/|out of)\s*\d+/i,
  /\b\d+\s*(?:\/|out of)\s*\d+\b[^.\n]{0,30}\b(?:marks?|points?|score|grade)\b/i,
  /\b(?:dear|note to(?: the)?|attention)\s+(?:grader|evaluator|examiner|reviewer|marker|ai|assistant|model)\b/i,
  /\b(?:you are|act as|as) (?:an? |the )?(?:grader|evaluator|examiner|language model|ai|assistant)\b/i,
  /\bsystem prompt\b|\bnew instructions?\b|\bjailbreak\b/i,
  /<\/?\s*(?:system|assistant|user|instructions?)\s*>|\[\/?(?:INST|SYS)\]|<\|im_(?:start|end)\|>/i,
  /["']?(?:score|grade|normalizedScore|status)["']?\s*[:=]\s*["']?(?:\d|covered|excellent)/i,
  /\bthis (?:answer|response) (?:is|deserves|should (?:get|receive|be))\b[^.\n]{0,30}\b(?:perfect|correct|full|excellent|maximum|5|10)\b/i,
];

export interface SuspiciousSpan {
  start: number;
  end: number;
  text: string;
}

const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;

/** Sentences (or lines) of the answer that look like instructions to the grader. */
export function findInstructionLikeText(answer: string): SuspiciousSpan[] {
  const spans: SuspiciousSpan[] = [];
  for (const match of answer.matchAll(SENTENCE)) {
    if (PATTERNS.some((pattern) => pattern.test(match[0]))) {
      spans.push({ start: match.index, end: match.index + match[0].length, text: match[0].trim() });
    }
  }
  return spans;
}

/** The answer with suspicious spans blanked out; same length, so offsets still point into the original. */
export function blankOut(answer: string, spans: readonly SuspiciousSpan[]): string {
  let result = answer;
  for (const span of spans) result = result.slice(0, span.start) + ' '.repeat(span.end - span.start) + result.slice(span.end);
  return result;
}
