import { describe, expect, it } from 'vitest';
import {
  protocolText,
  renderEvaluationReport,
  reviewReading,
  worstAnswers,
} from '../../src/evaluation/render-evaluation-report.js';
import { reviewAnalysis } from '../../src/evaluation/review-analysis.js';
import { evaluatedAnswer, summaryOf } from './report-test-answers.js';

/** The markup of every element that opens with `opening`, up to its first closing tag (no nesting). */
function elements(html: string, opening: string, closing: string): string[] {
  const found: string[] = [];
  for (let start = html.indexOf(opening); start !== -1; start = html.indexOf(opening, start + 1)) {
    found.push(html.slice(start, html.indexOf(closing, start) + closing.length));
  }
  return found;
}

function dataPoints(svg: string): string[] {
  // Legend marks have no title; every plotted answer has one.
  return svg.match(/<circle class="point[^"]*"[^>]*><title>/g) ?? [];
}

function confusionCells(svg: string): Map<string, number> {
  const cells = new Map<string, number>();
  for (const match of svg.matchAll(/data-human="([^"]+)" data-predicted="([^"]+)" data-count="(\d+)"/g))
    cells.set(`${match[1]}→${match[2]}`, Number(match[3]));
  return cells;
}

const mohler = [
  evaluatedAnswer(5, 4.6, { questionId: 'm1' }),
  evaluatedAnswer(5, 4.4, { questionId: 'm2', flags: ['needs_review'] }),
  evaluatedAnswer(4.5, 3.2, { questionId: 'm3' }),
  evaluatedAnswer(2, 2.49, { questionId: 'm4' }),
  evaluatedAnswer(0, 0.5, { questionId: 'm5' }),
];
const saf = [
  evaluatedAnswer(1, 0.9, { dataset: 'saf-en', questionId: 's1' }),
  evaluatedAnswer(0.5, 0.6, { dataset: 'saf-en', questionId: 's2', flags: ['needs_review'] }),
  evaluatedAnswer(0.75, 0.1, { dataset: 'saf-en', questionId: 's3' }),
];

describe('renderEvaluationReport charts', () => {
  const html = renderEvaluationReport(summaryOf([...mohler, ...saf]));
  const scatters = elements(html, '<svg class="scatter"', '</svg>');
  const matrices = elements(html, '<svg class="confusion"', '</svg>');

  it('draws one scatter per data set with one point per answer, the flagged ones apart', () => {
    expect(scatters).toHaveLength(2);
    expect(dataPoints(scatters[0])).toHaveLength(5);
    expect(dataPoints(scatters[1])).toHaveLength(3);
    expect(dataPoints(scatters[0]).filter((point) => point.includes('flagged'))).toHaveLength(1);
    expect(scatters[0]).toContain('class="diagonal"');
    expect(scatters[0]).toContain('<g class="legend">');
  });

  it('puts each point at its predicted score, and jitters the human one by a little, the same way every time', () => {
    // Plot 320 px square from (50, 354) for 0 to (370, 34) for the maximum.
    const point = scatters[0].match(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>m4:/);
    expect(point).not.toBeNull();
    expect(Number(point![2])).toBeCloseTo(354 - (2.49 / 5) * 320, 0);
    expect(Math.abs(Number(point![1]) - (50 + (2 / 5) * 320))).toBeLessThanOrEqual(0.025 * 320 + 0.1);
    expect(renderEvaluationReport(summaryOf([...mohler, ...saf]))).toBe(html);
  });

  it('counts rounded scores in the confusion matrix, rows human and columns predicted', () => {
    const mohlerCells = confusionCells(matrices[0]);
    expect(mohlerCells.size).toBe(36);
    expect([...mohlerCells.values()].reduce((sum, count) => sum + count, 0)).toBe(5);
    // 4.6 → 5, 4.4 → 4; 4.5 and 0.5 round up as Math.round does in metrics.ts.
    const nonZero = [...mohlerCells].filter(([, count]) => count > 0);
    expect(Object.fromEntries(nonZero)).toEqual({ '5→5': 1, '5→4': 1, '5→3': 1, '2→2': 1, '0→1': 1 });

    const safCells = confusionCells(matrices[1]);
    expect(safCells.size).toBe(25);
    expect(Object.fromEntries([...safCells].filter(([, count]) => count > 0))).toEqual({
      '1→1': 1,
      '0.5→0.5': 1,
      '0.75→0': 1,
    });
    expect(matrices[1].match(/class="diagonal-outline"/g)).toHaveLength(5);
  });
});

describe('renderEvaluationReport worst answers', () => {
  const answers = Array.from({ length: 19 }, (_, index) =>
    evaluatedAnswer(3, 3 + (index % 3) * 0.1, { questionId: `filler-${index}` }),
  );
  answers.push(evaluatedAnswer(5, 2, { questionId: 'three-points-off' }));
  answers.push(evaluatedAnswer(1, 0.2, { dataset: 'saf-en', questionId: 'four-fifths-off' }));
  answers.push(evaluatedAnswer(0, 2, { questionId: 'two-points-off' }));
  const html = renderEvaluationReport(summaryOf(answers));
  const worst = elements(html, '<details class="card candidate worst"', '</details>');

  it('shows the worst tenth, rounded up, by error as a share of the scale, worst first', () => {
    // 22 answers: ceil(2.2) = 3.
    expect(worst).toHaveLength(3);
    expect(worst.map((item) => item.match(/<span class="id">([^<]+)<\/span>/)![1])).toEqual([
      'four-fifths-off',
      'three-points-off',
      'two-points-off',
    ]);
    expect(worst.map((item) => Number(item.match(/data-error="([\d.]+)"/)![1]))).toEqual([0.8, 0.6, 0.4]);
    expect(worstAnswers(answers.slice(0, 10))).toHaveLength(1);
    expect(worstAnswers([])).toEqual([]);
  });

  it('shows what the grader saw and said', () => {
    const first = worst[0];
    for (const text of [
      'What does a stack do?',
      'It keeps items last in, first out.',
      'It is last in, first out.',
      'A fair answer',
      'status-covered',
      '“quoted words”',
      'human 1 · predicted 0.20 · error −0.80',
      'confidence 0.80',
    ]) {
      expect(first).toContain(text);
    }
  });

  it('lists the graded examples behind a grade when there are some', () => {
    const withExamples = evaluatedAnswer(5, 0, {
      questionId: 'with-examples',
      grade: { examples: [{ id: 'mohler/1.1.3', score: 4.5, weight: 0.62 }] },
    });
    const page = renderEvaluationReport(summaryOf([withExamples, evaluatedAnswer(5, 5)]));
    expect(page).toContain('<table class="examples">');
    expect(page).toMatch(/mohler\/1\.1\.3<\/span><\/td><td class="num">4\.5<\/td><td class="num">0\.62<\/td>/);
    expect(html).not.toContain('<table class="examples">');
  });
});

describe('renderEvaluationReport text', () => {
  it('escapes answers, questions and rationales, and runs no script', () => {
    const hostile = evaluatedAnswer(5, 0, {
      questionId: 'q"1',
      answer: '<script>alert(1)</script> it "works"',
      grade: {
        rationale: '<img src=x onerror=alert(2)>',
        keyPoints: [{ id: 'k', text: '<b>point</b>', status: 'partial', evidence: '<script>alert(3)</script>' }],
      },
    });
    const html = renderEvaluationReport({
      ...summaryOf([hostile, evaluatedAnswer(4, 4)]),
      source: '<i>data</i>.jsonl',
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; it &quot;works&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toContain('<b>point</b>');
    expect(html).not.toContain('<i>data</i>');
    expect(html).toContain('q&quot;1');
  });

  it('is self-contained: nothing fetched, one stylesheet, no script', () => {
    const html = renderEvaluationReport(summaryOf([...mohler, ...saf]));
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|@font-face|url\(/i);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('cites the published Mohler results only when a mohler data set is present', () => {
    expect(renderEvaluationReport(summaryOf([...mohler, ...saf]))).toContain('Sultan et al. 2016: 0.59 / 0.89');
    const safOnly = renderEvaluationReport(summaryOf(saf));
    expect(safOnly).not.toContain('Sultan et al.');
    expect(safOnly).not.toContain('Mohler, Bunescu');
  });

  it('shows mean ± sd and the range only when there is more than one seed', () => {
    const oneSeed = renderEvaluationReport(summaryOf(mohler));
    const fiveSeeds = renderEvaluationReport({
      ...summaryOf(mohler, [1, 2, 3, 4, 5]),
      protocol: { shots: 10, seeds: [1, 2, 3, 4, 5], folds: 5, foldBy: 'assignment' },
    });
    expect(oneSeed).not.toContain('<span class="sd">');
    expect(fiveSeeds).toContain('0.500 <span class="sd">± 0.020</span><span class="detail">0.480–0.520</span>');
    expect(fiveSeeds).toContain(
      '10 graded examples per question, 5 seeds (mean ± sd) · weights refitted over 5 folds by assignment',
    );
  });

  it('summarises the needs_review analysis in a table and a sentence', () => {
    const html = renderEvaluationReport(summaryOf([...mohler, ...saf]));
    expect(html).toContain('<table class="review-analysis">');
    expect(html.match(/<td>flagged needs review<\/td>/g)).toHaveLength(3);
  });
});

describe('protocolText', () => {
  it('says how the evaluation was run', () => {
    expect(protocolText({ shots: 0, seeds: [1], folds: null, foldBy: 'question' })).toBe(
      'zero-shot (reference answer only) · weights as loaded',
    );
    expect(protocolText({ shots: 1, seeds: [7], folds: 4, foldBy: 'question' })).toBe(
      '1 graded example per question, 1 seed · weights refitted over 4 folds by question',
    );
  });
});

describe('reviewReading', () => {
  it('reads the flag against the rest in one sentence', () => {
    const answers = [
      evaluatedAnswer(5, 1, { flags: ['needs_review'] }),
      evaluatedAnswer(5, 5, { flags: ['needs_review'] }),
      evaluatedAnswer(5, 0),
      evaluatedAnswer(5, 5),
      evaluatedAnswer(4, 4),
      evaluatedAnswer(3, 3),
    ];
    expect(reviewReading(reviewAnalysis(answers).overall)).toBe(
      'Of the answers flagged needs review, 50% are off by 1.5 points or more against 25% of the rest (2.0 times the rate of the rest), and the flag catches 50% of all large errors.',
    );
    expect(reviewReading(reviewAnalysis(answers.slice(2)).overall)).toMatch(/^No answer was flagged needs review/);
  });
});
