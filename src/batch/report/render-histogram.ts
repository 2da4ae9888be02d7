import { bandFor, type Band } from '../../grading/grade-schema.js';
import { escapeHtml, formatNumber } from '../../report/html.js';
import { plural } from '../../text/plural.js';

const BINS = 10;
const WIDTH = 360;
const HEIGHT = 170;
const MARGIN = { top: 20, right: 10, bottom: 26, left: 30 };

export const BAND_FILLS: Record<Band, string> = {
  excellent: '#15803d',
  good: '#4d7c0f',
  fair: '#b45309',
  weak: '#c2410c',
  poor: '#b91c1c',
};

/** Scores of one question in ten bins over 0–max, as inline SVG (no script, no external reference). */
export function renderHistogram(scores: readonly number[], maxScore: number, label: string): string {
  const counts = new Array<number>(BINS).fill(0);
  for (const score of scores) counts[Math.min(BINS - 1, Math.max(0, Math.floor((score / maxScore) * BINS)))] += 1;
  const tallest = Math.max(1, ...counts);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / BINS;
  const y = (count: number) => MARGIN.top + plotHeight - (count / tallest) * plotHeight;
  const parts: string[] = [];
  for (const tick of [...new Set([0, Math.round(tallest / 2), tallest])]) {
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
  }
  counts.forEach((count, bin) => {
    const from = (bin / BINS) * maxScore;
    const to = ((bin + 1) / BINS) * maxScore;
    const x = MARGIN.left + bin * slot + 1.5;
    const fill = BAND_FILLS[bandFor((bin + 0.5) / BINS)];
    const range = `${formatNumber(from)}–${formatNumber(to)}${bin === BINS - 1 ? '' : ' (exclusive)'}`;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y(count).toFixed(1)}" width="${(slot - 3).toFixed(1)}" height="${(MARGIN.top + plotHeight - y(count)).toFixed(1)}" rx="2" fill="${fill}"><title>${range}: ${plural(count, 'answer')}</title></rect>`,
    );
    if (count > 0)
      parts.push(
        `<text class="count" x="${(x + (slot - 3) / 2).toFixed(1)}" y="${(y(count) - 4).toFixed(1)}" text-anchor="middle">${count}</text>`,
      );
  });
  for (const fraction of [0, 0.5, 1]) {
    const x = MARGIN.left + fraction * plotWidth;
    const anchor = fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle';
    parts.push(
      `<text class="tick" x="${x}" y="${HEIGHT - 5}" text-anchor="${anchor}">${formatNumber(fraction * maxScore)}</text>`,
    );
  }
  if (scores.length > 0) {
    const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
    const x = (MARGIN.left + (mean / maxScore) * plotWidth).toFixed(1);
    parts.push(
      `<line class="mean" x1="${x}" x2="${x}" y1="${MARGIN.top - 6}" y2="${MARGIN.top + plotHeight}"><title>mean ${mean.toFixed(2)}</title></line>`,
    );
  }
  const summary = counts.map((count, bin) => `${formatNumber((bin / BINS) * maxScore)}+: ${count}`).join(', ');
  return `<svg class="histogram" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`Scores for ${label} in ten bins from 0 to ${maxScore}: ${summary}`)}">${parts.join('')}</svg>`;
}
