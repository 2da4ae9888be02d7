import { escapeHtml, formatNumber } from '../report/html.js';
import { plural } from '../text/plural.js';
import type { EvaluatedAnswer } from './evaluation-summary.js';

const PLOT_SIZE = 320;
const SCATTER_MARGIN = { top: 34, right: 14, bottom: 44, left: 50 };
const MATRIX_MARGIN = { top: 46, right: 10, bottom: 10, left: 62 };
/** Half the width of the jitter band, as a share of the scale: human scores sit on a few values. */
const JITTER_FRACTION = 0.025;
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;

/** The step scores are rounded to for QWK and the confusion matrix, as run-evaluation.ts rounds them. */
export function scoreStep(maxScore: number): number {
  return maxScore >= 2 ? 1 : 0.25;
}

/** The index of a score's rounded category, 0 … maxScore / step. */
export function scoreCategory(score: number, maxScore: number): number {
  const step = scoreStep(maxScore);
  return Math.min(Math.round(maxScore / step), Math.max(0, Math.round(score / step)));
}

/** Counts of rounded scores: rows are the human score, columns the predicted one. */
export function confusionCounts(answers: readonly EvaluatedAnswer[], maxScore: number): number[][] {
  const size = Math.round(maxScore / scoreStep(maxScore)) + 1;
  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const answer of answers)
    counts[scoreCategory(answer.human, maxScore)][scoreCategory(answer.predicted, maxScore)] += 1;
  return counts;
}

/** The rounding step when it gives at most ten intervals (so ticks sit on the usual scores), else a round step that does. */
function tickStep(maxScore: number): number {
  if (maxScore / scoreStep(maxScore) <= 10) return scoreStep(maxScore);
  const magnitude = 10 ** Math.floor(Math.log10(maxScore / 10));
  return [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((step) => maxScore / step <= 10) ?? maxScore;
}

/** A score as people write it (0.25, 3.5, 5): no trailing zeros, no floating-point residue. */
export function plainNumber(value: number): string {
  return String(Number(value.toFixed(6)));
}

/** A deterministic, evenly spread offset in [-0.5, 0.5) for the answer at `index`. */
function jitter(index: number): number {
  return ((index * GOLDEN_RATIO_FRACTION) % 1) - 0.5;
}

/**
 * Predicted against human score as inline SVG: the y = x diagonal, the large-error band around it,
 * one semi-transparent point per answer (jittered sideways), answers flagged needs_review as rings.
 */
export function renderScatter(
  answers: readonly EvaluatedAnswer[],
  maxScore: number,
  largeErrorThreshold: number,
  label: string,
): string {
  const width = SCATTER_MARGIN.left + PLOT_SIZE + SCATTER_MARGIN.right;
  const height = SCATTER_MARGIN.top + PLOT_SIZE + SCATTER_MARGIN.bottom;
  const x = (score: number) => SCATTER_MARGIN.left + (score / maxScore) * PLOT_SIZE;
  const y = (score: number) => SCATTER_MARGIN.top + PLOT_SIZE - (score / maxScore) * PLOT_SIZE;
  const clamp = (score: number) => Math.min(maxScore, Math.max(0, score));
  const parts: string[] = [];
  const step = tickStep(maxScore);
  for (let tick = 0; tick <= maxScore + 1e-9; tick += step) {
    const text = plainNumber(tick);
    parts.push(
      `<line class="grid" x1="${x(tick)}" x2="${x(tick)}" y1="${y(0)}" y2="${y(maxScore)}"/><line class="grid" x1="${x(0)}" x2="${x(maxScore)}" y1="${y(tick)}" y2="${y(tick)}"/>`,
    );
    parts.push(
      `<text class="tick" x="${x(tick)}" y="${y(0) + 16}" text-anchor="middle">${text}</text><text class="tick" x="${x(0) - 7}" y="${y(tick) + 4}" text-anchor="end">${text}</text>`,
    );
  }
  parts.push(`<rect class="frame" x="${x(0)}" y="${y(maxScore)}" width="${PLOT_SIZE}" height="${PLOT_SIZE}"/>`);
  parts.push(bandLine(x, y, maxScore, largeErrorThreshold), bandLine(x, y, maxScore, -largeErrorThreshold));
  parts.push(`<line class="diagonal" x1="${x(0)}" y1="${y(0)}" x2="${x(maxScore)}" y2="${y(maxScore)}"/>`);
  const amplitude = 2 * JITTER_FRACTION * maxScore;
  const points = answers.map((answer, index) => {
    const flagged = answer.grade.flags.includes('needs_review');
    const cx = x(clamp(answer.human) + jitter(index) * amplitude).toFixed(1);
    const cy = y(clamp(answer.predicted)).toFixed(1);
    const title = `${answer.questionId}: human ${plainNumber(answer.human)}, predicted ${answer.predicted.toFixed(2)}${flagged ? ', needs review' : ''}`;
    return {
      flagged,
      svg: `<circle class="point${flagged ? ' flagged' : ''}" cx="${cx}" cy="${cy}" r="${flagged ? 3.6 : 3.2}"><title>${escapeHtml(title)}</title></circle>`,
    };
  });
  // Flagged points last, so they are drawn on top of the rest.
  parts.push(
    ...points.filter((point) => !point.flagged).map((point) => point.svg),
    ...points.filter((point) => point.flagged).map((point) => point.svg),
  );
  parts.push(
    `<text class="axis-title" x="${x(maxScore / 2)}" y="${height - 6}" text-anchor="middle">human score</text>`,
  );
  parts.push(
    `<text class="axis-title" transform="translate(14 ${y(maxScore / 2)}) rotate(-90)" text-anchor="middle">predicted score</text>`,
  );
  parts.push(scatterLegend(largeErrorThreshold));
  const flaggedCount = points.filter((point) => point.flagged).length;
  const description = `Predicted against human score for ${label}, 0 to ${formatNumber(maxScore)}: ${plural(answers.length, 'answer')}, ${flaggedCount} flagged needs review`;
  return `<svg class="scatter" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(description)}">${parts.join('')}</svg>`;
}

/** The line y = x + offset, clipped to the plot square. */
function bandLine(
  x: (score: number) => number,
  y: (score: number) => number,
  maxScore: number,
  offset: number,
): string {
  const from = Math.max(0, -offset);
  const to = Math.min(maxScore, maxScore - offset);
  if (from >= to) return '';
  return `<line class="band" x1="${x(from).toFixed(1)}" y1="${y(from + offset).toFixed(1)}" x2="${x(to).toFixed(1)}" y2="${y(to + offset).toFixed(1)}"/>`;
}

function scatterLegend(largeErrorThreshold: number): string {
  const top = 14;
  const left = SCATTER_MARGIN.left;
  return `<g class="legend">
<circle class="point" cx="${left + 4}" cy="${top}" r="3.2"/><text x="${left + 12}" y="${top + 4}">answer</text>
<circle class="point flagged" cx="${left + 72}" cy="${top}" r="3.6"/><text x="${left + 80}" y="${top + 4}">needs review</text>
<line class="diagonal" x1="${left + 172}" x2="${left + 192}" y1="${top}" y2="${top}"/><text x="${left + 197}" y="${top + 4}">y = x</text>
<line class="band" x1="${left + 238}" x2="${left + 258}" y1="${top}" y2="${top}"/><text x="${left + 263}" y="${top + 4}">±${plainNumber(largeErrorThreshold)}</text>
</g>`;
}

/** Rounded human score (rows) against rounded predicted score (columns), cells shaded by count, the diagonal outlined. */
export function renderConfusionMatrix(answers: readonly EvaluatedAnswer[], maxScore: number, label: string): string {
  const counts = confusionCounts(answers, maxScore);
  const step = scoreStep(maxScore);
  const size = counts.length;
  const cell = Math.min(52, PLOT_SIZE / size);
  const width = MATRIX_MARGIN.left + size * cell + MATRIX_MARGIN.right;
  const height = MATRIX_MARGIN.top + size * cell + MATRIX_MARGIN.bottom;
  const largest = Math.max(1, ...counts.flat());
  const categoryLabel = (category: number) => plainNumber(category * step);
  const parts: string[] = [];
  counts.forEach((row, human) => {
    row.forEach((count, predicted) => {
      const shade = count === 0 ? 0 : 0.1 + 0.8 * (count / largest);
      const left = MATRIX_MARGIN.left + predicted * cell;
      const top = MATRIX_MARGIN.top + human * cell;
      const title = `human ${categoryLabel(human)}, predicted ${categoryLabel(predicted)}: ${plural(count, 'answer')}`;
      const classes = `cell${count === 0 ? ' empty' : ''}${human === predicted ? ' diagonal' : ''}`;
      parts.push(
        `<rect class="${classes}" data-human="${categoryLabel(human)}" data-predicted="${categoryLabel(predicted)}" data-count="${count}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${cell.toFixed(1)}" height="${cell.toFixed(1)}" fill-opacity="${shade.toFixed(3)}"><title>${title}</title></rect>`,
      );
      if (count > 0 && cell >= 20) {
        parts.push(
          `<text class="count${shade > 0.55 ? ' on-dark' : ''}" x="${(left + cell / 2).toFixed(1)}" y="${(top + cell / 2 + 4).toFixed(1)}" text-anchor="middle">${count}</text>`,
        );
      }
    });
  });
  for (let category = 0; category < size; category += 1) {
    const left = (MATRIX_MARGIN.left + category * cell).toFixed(1);
    const top = (MATRIX_MARGIN.top + category * cell).toFixed(1);
    // Drawn after every cell so neighbouring cells do not paint over the outline.
    parts.push(
      `<rect class="diagonal-outline" x="${left}" y="${top}" width="${cell.toFixed(1)}" height="${cell.toFixed(1)}"/>`,
    );
  }
  for (let category = 0; category < size; category += 1) {
    const centre = category * cell + cell / 2;
    parts.push(
      `<text class="tick" x="${(MATRIX_MARGIN.left + centre).toFixed(1)}" y="${MATRIX_MARGIN.top - 6}" text-anchor="middle">${categoryLabel(category)}</text>`,
    );
    parts.push(
      `<text class="tick" x="${MATRIX_MARGIN.left - 7}" y="${(MATRIX_MARGIN.top + centre + 4).toFixed(1)}" text-anchor="end">${categoryLabel(category)}</text>`,
    );
  }
  parts.push(
    `<text class="axis-title" x="${MATRIX_MARGIN.left + (size * cell) / 2}" y="14" text-anchor="middle">predicted (rounded)</text>`,
  );
  parts.push(
    `<text class="axis-title" transform="translate(14 ${MATRIX_MARGIN.top + (size * cell) / 2}) rotate(-90)" text-anchor="middle">human (rounded)</text>`,
  );
  const description = `Confusion matrix for ${label}: human score rounded to ${plainNumber(step)} in rows, predicted in columns`;
  return `<svg class="confusion" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(description)}">${parts.join('')}</svg>`;
}

/** Styles for the two charts, added to the batch report's stylesheet. */
export const CHART_CSS = `
svg.scatter, svg.confusion { display: block; max-width: 100%; height: auto; }
svg.scatter .grid { stroke: #e7ebf0; stroke-width: 1; }
svg.scatter .frame { fill: none; stroke: var(--line-strong); }
svg.scatter .diagonal { stroke: #1b2430; stroke-width: 1.3; stroke-dasharray: 5 4; }
svg.scatter .band { stroke: #b45309; stroke-width: 1; stroke-dasharray: 2 3; }
svg.scatter .point { fill: #3447b8; fill-opacity: .32; }
svg.scatter .point.flagged { fill: #f59e0b; fill-opacity: .25; stroke: #b45309; stroke-width: 1.4; stroke-opacity: .9; }
svg .tick { font-size: 12px; fill: #5b6675; font-variant-numeric: tabular-nums; }
svg .axis-title { font-size: 12.5px; fill: #3b4655; font-weight: 600; }
svg .legend text { font-size: 12px; fill: #3b4655; }
svg.confusion .cell { fill: #3447b8; stroke: #e3e7ed; stroke-width: 1; }
svg.confusion .cell.empty { fill: #fff; fill-opacity: 1; }
svg.confusion .diagonal-outline { fill: none; stroke: #15803d; stroke-width: 2.5; }
svg.confusion .count { font-size: 12.5px; font-weight: 600; fill: #1b2430; font-variant-numeric: tabular-nums; }
svg.confusion .count.on-dark { fill: #fff; }
`;
