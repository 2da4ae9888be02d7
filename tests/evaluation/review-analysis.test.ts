import { describe, expect, it } from 'vitest';
import { compareDetector, lowConfidenceCutoff, reviewAnalysis } from '../../src/evaluation/review-analysis.js';
import { evaluatedAnswer } from './report-test-answers.js';

// On 0–5 the large-error threshold is 1.5 points. Flagged: #1, #2, #6; large errors: #1 (exactly 1.5), #3, #6.
const mohler = [
  evaluatedAnswer(5, 3.5, { flags: ['needs_review'], confidence: 0.7 }),
  evaluatedAnswer(5, 3.6, { flags: ['needs_review'], confidence: 0.6 }),
  evaluatedAnswer(2, 4, { confidence: 0.3 }),
  evaluatedAnswer(4, 4, { confidence: 0.9 }),
  evaluatedAnswer(3, 3.5, { confidence: 0.9 }),
  evaluatedAnswer(1, 3, { flags: ['needs_review', 'too_short'], confidence: 0.35 }),
  evaluatedAnswer(4.5, 4, { confidence: 0.8 }),
  evaluatedAnswer(0, 0.5, { confidence: 0.9 }),
];

describe('reviewAnalysis', () => {
  const analysis = reviewAnalysis(mohler).byDataset.mohler;

  it('counts large errors at 30% of the scale, an error of exactly the threshold included', () => {
    expect(analysis.answers).toBe(8);
    expect(analysis.largeErrorThreshold).toBe(1.5);
    expect(analysis.largeErrors).toBe(3);
  });

  it('compares the answers flagged needs_review with the rest', () => {
    const { selected, rest, lift, precision, recall } = analysis.needsReview;
    expect(selected).toEqual({ answers: 3, largeErrors: 2, largeErrorRate: 2 / 3 });
    expect(rest).toEqual({ answers: 5, largeErrors: 1, largeErrorRate: 1 / 5 });
    expect(lift).toBeCloseTo(10 / 3, 10);
    expect(precision).toBeCloseTo(2 / 3, 10);
    expect(recall).toBeCloseTo(2 / 3, 10);
  });

  it('compares the lowest-confidence quarter with the rest', () => {
    // Confidences 0.3 and 0.35 are the lowest two of eight: both answers are large errors.
    const { selected, rest, lift, precision, recall, confidenceCutoff } = analysis.lowConfidence;
    expect(confidenceCutoff).toBe(0.35);
    expect(selected).toEqual({ answers: 2, largeErrors: 2, largeErrorRate: 1 });
    expect(rest).toEqual({ answers: 6, largeErrors: 1, largeErrorRate: 1 / 6 });
    expect(lift).toBeCloseTo(6, 10);
    expect(precision).toBe(1);
    expect(recall).toBeCloseTo(2 / 3, 10);
  });

  it('sets the threshold per scale, and overall leaves it to each answer when scales differ', () => {
    const saf = [
      evaluatedAnswer(0.7, 0.4, { dataset: 'saf-en' }), // 0.29999999999999993 in floating point: large
      evaluatedAnswer(0.75, 0.46, { dataset: 'saf-en' }), // 0.29: not large
      evaluatedAnswer(1, 0.2, { dataset: 'saf-en', flags: ['needs_review'] }),
    ];
    const result = reviewAnalysis([...mohler, ...saf]);
    expect(result.byDataset['saf-en'].largeErrorThreshold).toBeCloseTo(0.3, 10);
    expect(result.byDataset['saf-en'].largeErrors).toBe(2);
    expect(result.byDataset.mohler.largeErrorThreshold).toBe(1.5);
    expect(result.overall.largeErrorThreshold).toBeNull();
    expect(result.overall.largeErrors).toBe(5);
    expect(result.overall.needsReview.selected).toEqual({ answers: 4, largeErrors: 3, largeErrorRate: 3 / 4 });
  });

  it('takes the threshold as another fraction of the scale when asked', () => {
    const result = reviewAnalysis(mohler, { largeErrorFraction: 0.2 });
    expect(result.overall.largeErrorThreshold).toBe(1);
    // Errors 1.5, 1.4, 2, 0, 0.5, 2, 0.5, 0.5: four reach 1 point.
    expect(result.overall.largeErrors).toBe(4);
    expect(result.overall.needsReview.selected.largeErrors).toBe(3);
  });

  it('gives null rates, lift and precision for empty groups instead of dividing by zero', () => {
    const noneFlagged = reviewAnalysis([evaluatedAnswer(5, 1), evaluatedAnswer(5, 5)]).overall.needsReview;
    expect(noneFlagged.selected).toEqual({ answers: 0, largeErrors: 0, largeErrorRate: null });
    expect(noneFlagged.lift).toBeNull();
    expect(noneFlagged.precision).toBeNull();
    expect(noneFlagged.recall).toBe(0);

    const allFlagged = reviewAnalysis([
      evaluatedAnswer(5, 1, { flags: ['needs_review'] }),
      evaluatedAnswer(5, 5, { flags: ['needs_review'] }),
    ]).overall.needsReview;
    expect(allFlagged.rest.largeErrorRate).toBeNull();
    expect(allFlagged.lift).toBeNull();
    expect(allFlagged.precision).toBe(0.5);
    expect(allFlagged.recall).toBe(1);

    const empty = reviewAnalysis([]);
    expect(empty.overall.answers).toBe(0);
    expect(empty.overall.largeErrorThreshold).toBeNull();
    expect(empty.overall.lowConfidence.confidenceCutoff).toBeNull();
    expect(empty.byDataset).toEqual({});
  });

  it('has no lift when the rest make no large error, and no recall when nobody does', () => {
    expect(compareDetector([true, false, false], [true, false, false])).toEqual({
      selected: { answers: 1, largeErrors: 1, largeErrorRate: 1 },
      rest: { answers: 2, largeErrors: 0, largeErrorRate: 0 },
      lift: null,
      precision: 1,
      recall: 1,
    });
    expect(compareDetector([true, false], [false, false])).toMatchObject({ lift: null, precision: 0, recall: null });
  });
});

describe('lowConfidenceCutoff', () => {
  it('cuts between distinct confidences, as near a quarter as ties allow', () => {
    expect(lowConfidenceCutoff([0.9, 0.3, 0.6, 0.35, 0.8, 0.9, 0.7, 0.9])).toBe(0.35);
    // Six tied at 0.5: the cutoff cannot take only two of them.
    expect(lowConfidenceCutoff([0.5, 0.5, 0.5, 0.8, 0.5, 0.5, 0.5, 0.8])).toBe(0.5);
    // One (0.2) and three (≤ 0.4) are equally far from two: the smaller group wins.
    expect(lowConfidenceCutoff([0.8, 0.4, 0.8, 0.2, 0.8, 0.4, 0.8, 0.8])).toBe(0.2);
    expect(lowConfidenceCutoff([])).toBeNull();
  });
});
