// @ts-check
// Where each key point's evidence sits in the answer, as non-overlapping segments ready to render.

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The evidence's place in the answer: the exact substring first; failing that, the same words with
 * any whitespace and letter case, since a quote may have had its line breaks folded.
 * @param {string} answer
 * @param {string | null} evidence
 * @returns {{ start: number, end: number } | null}
 */
export function locate(answer, evidence) {
  if (!evidence) return null;
  const exact = answer.indexOf(evidence);
  if (exact >= 0) return { start: exact, end: exact + evidence.length };
  const words = evidence.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const loose = new RegExp(words.map(escapeRegExp).join('\\s+'), 'i').exec(answer);
  return loose ? { start: loose.index, end: loose.index + loose[0].length } : null;
}

/**
 * Splits the answer at every evidence boundary. Each segment lists the key points (by index) whose
 * evidence covers it, innermost (shortest span) first, and those whose evidence starts there.
 * @param {string} answer
 * @param {{ evidence: string | null }[]} keyPoints
 */
export function segmentAnswer(answer, keyPoints) {
  /** @type {{ index: number, start: number, end: number }[]} */
  const spans = [];
  /** @type {number[]} */
  const unplaced = [];
  keyPoints.forEach((point, index) => {
    if (!point.evidence) return;
    const place = locate(answer, point.evidence);
    if (place && place.end > place.start) spans.push({ index, ...place });
    else unplaced.push(index);
  });
  const cuts = [...new Set([0, answer.length, ...spans.flatMap((span) => [span.start, span.end])])].sort(
    (a, b) => a - b,
  );
  /** @type {{ text: string, keyPoints: number[], starts: number[] }[]} */
  const segments = [];
  for (let i = 0; i < cuts.length - 1; i += 1) {
    const from = cuts[i];
    const to = cuts[i + 1];
    const covering = spans
      .filter((span) => span.start <= from && span.end >= to)
      .sort((a, b) => a.end - a.start - (b.end - b.start) || a.index - b.index);
    segments.push({
      text: answer.slice(from, to),
      keyPoints: covering.map((span) => span.index),
      starts: covering
        .filter((span) => span.start === from)
        .map((span) => span.index)
        .sort((a, b) => a - b),
    });
  }
  return { segments, placed: new Set(spans.map((span) => span.index)), unplaced };
}
