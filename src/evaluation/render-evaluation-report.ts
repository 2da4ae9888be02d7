import { escapeHtml, formatNumber, percent } from '../report/html.js';
import { renderKeyPoint } from '../report/key-point-html.js';
import { REPORT_CSS } from '../report/report-styles.js';
import { bandFor, type Grade } from '../grading/grade-schema.js';
import type {
  AgreementSummary,
  EvaluatedAnswer,
  EvaluationProtocol,
  EvaluationSummary,
  MetricSpread,
} from './evaluation-summary.js';
import { plural } from '../text/plural.js';
import {
  CHART_CSS,
  confusionCounts,
  plainNumber,
  renderConfusionMatrix,
  renderScatter,
  scoreStep,
} from './report-charts.js';
import {
  reviewAnalysis,
  type DetectorComparison,
  type ErrorGroup,
  type ReviewAnalysis,
  type ReviewAnalysisByDataset,
} from './review-analysis.js';

const METRICS: readonly { key: Exclude<keyof AgreementSummary, 'n'>; label: string }[] = [
  { key: 'pearson', label: 'Pearson r' },
  { key: 'spearman', label: 'Spearman <span class="symbol">ρ</span>' },
  { key: 'rmse', label: 'RMSE' },
  { key: 'mae', label: 'MAE' },
  { key: 'qwk', label: 'QWK' },
];

/** Share of the answers, worst first, that the report shows in full. */
const WORST_SHARE = 0.1;

const EVALUATION_CSS = `
td.metric { white-space: nowrap; }
thead th .symbol { text-transform: none; }
td .detail { display: block; color: var(--faint); font-size: 12px; }
td.metric .sd { color: var(--muted); }
tr.overall td { font-weight: 600; }
td.dataset-name { font-weight: 600; white-space: nowrap; }
.note { color: var(--muted); font-size: 13.5px; margin: 10px 0 0; max-width: 90ch; }
.dataset { padding: 14px 16px 12px; margin: 0 0 14px; }
.dataset h3 { margin: 0; font-size: 16px; }
.dataset .figures { color: var(--muted); font-size: 13px; margin: 2px 0 10px; }
.chart-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px 28px; align-items: start; }
.chart-pair figure { margin: 0; }
.chart-pair figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.reading { margin: 12px 0 0; max-width: 90ch; }
details.worst > summary .name { font-weight: 600; font-size: 14.5px; }
details.worst > summary .total { font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.seen { margin: 6px 0 10px; display: grid; grid-template-columns: 9em 1fr; gap: 8px 14px; }
dl.seen dt { color: var(--muted); font-size: 13px; font-weight: 600; }
dl.seen dd { margin: 0; }
dl.seen dd.text { white-space: pre-wrap; background: #f8f9fb; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; font-size: 14px; max-height: 22em; overflow: auto; }
table.examples { width: auto; margin-top: 8px; font-size: 13.5px; }
table.examples th, table.examples td { padding: 4px 12px 4px 0; }
@media (max-width: 720px) { dl.seen { grid-template-columns: 1fr; } }
`;

/** One self-contained page (inline CSS and SVG, no script, nothing fetched) on how the grader agrees with people. */
export function renderEvaluationReport(summary: EvaluationSummary): string {
  const analysis = reviewAnalysis(summary.answers);
  const datasets = groupByDataset(summary.answers);
  const worst = worstAnswers(summary.answers);
  const flagged = summary.answers.filter((answer) => answer.grade.flags.includes('needs_review')).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Evaluation report: ${summary.source}`)}</title>
<style>${REPORT_CSS}${CHART_CSS}${EVALUATION_CSS}</style>
</head>
<body>
<div class="page">
<header class="top">
<div>
<p class="eyebrow">answerkey · evaluation against human grades</p>
<h1>${escapeHtml(summary.source)}</h1>
<p class="meta">${escapeHtml(protocolText(summary.protocol))} · ${summary.answers.length} answers · ${escapeHtml([...datasets.keys()].join(', '))}</p>
</div>
<nav class="toc" aria-label="Sections"><a href="#metrics">Metrics</a><a href="#datasets">Per data set</a><a href="#review">Needs review</a><a href="#worst">Worst answers (${worst.length})</a></nav>
</header>
<div class="stats">
${stat(String(summary.overall.n), 'answers scored')}
${stat(summary.overall.pearson.mean.toFixed(3), 'Pearson r overall')}
${stat(summary.overall.qwk.mean.toFixed(3), 'QWK overall')}
${stat(String(analysis.overall.largeErrors), `large errors (≥ ${percent(analysis.overall.largeErrorFraction)} of the scale)`, analysis.overall.largeErrors > 0)}
${stat(String(flagged), 'flagged needs review')}
</div>
<section id="metrics">
<h2>Agreement with human grades</h2>
<p class="lede">${metricsLede(summary, datasets)}</p>
${renderMetricsTable(summary)}
${datasets.has('mohler') ? mohlerComparison(summary.byDataset.mohler, summary.protocol) : ''}
</section>
<section id="datasets">
<h2>Per data set</h2>
<p class="lede">Each answer's predicted score against the human one${summary.protocol.seeds.length > 1 ? ' (the first seed’s run)' : ''}, moved a little sideways so equal human scores do not hide each other; and the same scores rounded, counted in a matrix whose outlined diagonal is exact agreement.</p>
${[...datasets].map(([name, answers]) => renderDataset(name, answers, analysis.byDataset[name])).join('\n')}
</section>
<section id="review">
<h2>Does needs review find the large errors?</h2>
<p class="lede">A large error is a predicted score ${percent(analysis.overall.largeErrorFraction)} of the scale or more away from the human one. Each row compares the answers a signal picks out with the rest: their large-error rates, the ratio of the two (lift), and the signal's precision and recall as a detector of large errors.</p>
${renderReviewTable(analysis)}
<p class="reading">${escapeHtml(reviewReading(analysis.overall))}</p>
</section>
<section id="worst">
<h2>Worst-scored answers</h2>
<p class="lede">The ${worst.length} answers (${percent(WORST_SHARE)} of ${summary.answers.length}) furthest from the human score as a share of the scale, worst first, each with what the grader saw and what it said.</p>
${worst.map((answer, index) => renderWorstAnswer(answer, index + 1)).join('\n')}
</section>
<footer>Generated by answerkey eval from ${escapeHtml(summary.source)}.${summary.protocol.seeds.length > 1 ? ' Metrics are over every seed’s run; the plots, the review analysis and the worst answers are from the first run.' : ''}</footer>
</div>
</body>
</html>
`;
}

/** How the evaluation was run, in words: "zero-shot (reference answer only) · weights refitted over 5 folds by question". */
export function protocolText(protocol: EvaluationProtocol): string {
  const seeds = protocol.seeds.length;
  const seedText = `${plural(seeds, 'seed')}${seeds > 1 ? ' (mean ± sd)' : ''}`;
  const shots =
    protocol.shots === 0
      ? `zero-shot (reference answer only)${seeds > 1 ? `, ${seedText}` : ''}`
      : `${plural(protocol.shots, 'graded example')} per question, ${seedText}`;
  const weights =
    protocol.folds === null
      ? 'weights as loaded'
      : `weights refitted over ${protocol.folds} folds by ${protocol.foldBy}`;
  return `${shots} · ${weights}`;
}

/**
 * The answers furthest from the human score, worst first: the top tenth, rounded up. The error is
 * taken as a share of the scale, so a 0–5 data set does not crowd out a 0–1 one.
 */
export function worstAnswers(answers: readonly EvaluatedAnswer[]): EvaluatedAnswer[] {
  const count = Math.ceil(answers.length * WORST_SHARE);
  return [...answers].sort((left, right) => scaledError(right) - scaledError(left)).slice(0, count);
}

function scaledError(answer: EvaluatedAnswer): number {
  return Math.abs(answer.predicted - answer.human) / answer.maxScore;
}

function groupByDataset(answers: readonly EvaluatedAnswer[]): Map<string, EvaluatedAnswer[]> {
  const groups = new Map<string, EvaluatedAnswer[]>();
  for (const answer of answers) groups.set(answer.dataset, [...(groups.get(answer.dataset) ?? []), answer]);
  return groups;
}

function stat(value: string, label: string, attention = false): string {
  return `<div class="stat${attention ? ' attention' : ''}"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

function scaleOf(answers: readonly EvaluatedAnswer[]): number {
  return Math.max(...answers.map((answer) => answer.maxScore));
}

function metricsLede(summary: EvaluationSummary, datasets: Map<string, EvaluatedAnswer[]>): string {
  const scales = new Set(summary.answers.map((answer) => answer.maxScore));
  const seeds =
    summary.protocol.seeds.length > 1
      ? ` Each figure is the mean ± standard deviation over ${summary.protocol.seeds.length} seeds, with the lowest and highest run below.`
      : '';
  const mixed =
    scales.size > 1 && datasets.size > 1
      ? ' The data sets use different scales, so the overall RMSE and MAE mix points of each; compare them per data set.'
      : '';
  return `Predicted against human scores on each data set's own scale; QWK on scores rounded to whole points (to quarters on a 0–1 scale).${seeds}${mixed}`;
}

function renderMetricsTable(summary: EvaluationSummary): string {
  const severalSeeds = summary.protocol.seeds.length > 1;
  const row = (name: string, metrics: AgreementSummary, overall: boolean) =>
    `<tr${overall ? ' class="overall"' : ''}><td class="dataset-name">${escapeHtml(name)}</td><td class="num">${metrics.n}</td>${METRICS.map(({ key }) => metricCell(metrics[key], severalSeeds)).join('')}</tr>`;
  const rows = [
    row('overall', summary.overall, true),
    ...Object.entries(summary.byDataset).map(([name, metrics]) => row(name, metrics, false)),
  ];
  return `<div class="card table-wrap"><table class="metrics">
<thead><tr><th scope="col">Data set</th><th class="num" scope="col">n</th>${METRICS.map(({ label }) => `<th class="num" scope="col">${label}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function metricCell(spread: MetricSpread, severalSeeds: boolean): string {
  if (!severalSeeds) return `<td class="num metric">${spread.mean.toFixed(3)}</td>`;
  return `<td class="num metric">${spread.mean.toFixed(3)} <span class="sd">± ${spread.sd.toFixed(3)}</span><span class="detail">${spread.min.toFixed(3)}–${spread.max.toFixed(3)}</span></td>`;
}

function mohlerComparison(metrics: AgreementSummary | undefined, protocol: EvaluationProtocol): string {
  const here = metrics
    ? ` Here (${escapeHtml(protocolText(protocol))}): ${metrics.pearson.mean.toFixed(2)} / ${metrics.rmse.mean.toFixed(2)} on ${metrics.n} answers of this development file, so not the same answers.`
    : '';
  return `<p class="note">Published results on the full Mohler set (Pearson r / RMSE on 0–5): Mohler, Bunescu &amp; Mihalcea 2011: 0.52 / 0.98; Sultan et al. 2016: 0.59 / 0.89; Ramachandran et al. 2015: 0.61 / 0.86. Those systems were trained on graded answers from the same data set.${here}</p>`;
}

function renderDataset(name: string, answers: readonly EvaluatedAnswer[], analysis: ReviewAnalysis): string {
  const maxScore = scaleOf(answers);
  const counts = confusionCounts(answers, maxScore);
  const exact = counts.reduce((sum, row, index) => sum + row[index], 0);
  const withinOne = counts.reduce(
    (sum, row, human) =>
      sum + row.reduce((inner, count, predicted) => inner + (Math.abs(human - predicted) <= 1 ? count : 0), 0),
    0,
  );
  const step = plainNumber(scoreStep(maxScore));
  const threshold = analysis.largeErrorThreshold ?? analysis.largeErrorFraction * maxScore;
  const flagged = analysis.needsReview.selected.answers;
  return `<div class="card dataset">
<h3>${escapeHtml(name)}</h3>
<p class="figures">${plural(answers.length, 'answer')} · scale 0–${formatNumber(maxScore)} · ${flagged} flagged needs review · ${analysis.largeErrors} large errors (≥ ${plainNumber(threshold)})</p>
<div class="chart-pair">
<figure>${renderScatter(answers, maxScore, threshold, name)}<figcaption>Dotted lines: off by ${plainNumber(threshold)} (${percent(analysis.largeErrorFraction)} of the scale), a large error.</figcaption></figure>
<figure>${renderConfusionMatrix(answers, maxScore, name)}<figcaption>Scores rounded to ${step}: ${percent(exact / answers.length)} exact, ${percent(withinOne / answers.length)} within one step.</figcaption></figure>
</div>
</div>`;
}

function rate(group: ErrorGroup): string {
  if (group.largeErrorRate === null) return '<span class="none">—</span>';
  return `${percent(group.largeErrorRate)} <span class="none">(${group.largeErrors} of ${group.answers})</span>`;
}

function ratio(value: number | null, format: (value: number) => string): string {
  return value === null ? '<span class="none">—</span>' : format(value);
}

function comparisonCells(comparison: DetectorComparison): string {
  return `<td class="num">${rate(comparison.selected)}</td><td class="num">${rate(comparison.rest)}</td><td class="num">${ratio(comparison.lift, (lift) => `${lift.toFixed(2)}×`)}</td><td class="num">${ratio(comparison.precision, percent)}</td><td class="num">${ratio(comparison.recall, percent)}</td>`;
}

function renderReviewTable(analysis: ReviewAnalysisByDataset): string {
  const groups: [string, ReviewAnalysis][] = [['overall', analysis.overall], ...Object.entries(analysis.byDataset)];
  const rows = groups.map(([name, group]) => {
    const threshold =
      group.largeErrorThreshold === null
        ? `${percent(group.largeErrorFraction)} of scale`
        : plainNumber(group.largeErrorThreshold);
    const cutoff =
      group.lowConfidence.confidenceCutoff === null
        ? ''
        : `<span class="detail">confidence ≤ ${group.lowConfidence.confidenceCutoff.toFixed(2)}</span>`;
    return `<tr${name === 'overall' ? ' class="overall"' : ''}><td class="dataset-name" rowspan="2">${escapeHtml(name)}<span class="none"> · error ≥ ${threshold}</span></td><td>flagged needs review</td>${comparisonCells(group.needsReview)}</tr>
<tr${name === 'overall' ? ' class="overall"' : ''}><td>lowest-confidence quarter${cutoff}</td>${comparisonCells(group.lowConfidence)}</tr>`;
  });
  return `<div class="card table-wrap"><table class="review-analysis">
<thead><tr><th scope="col">Data set</th><th scope="col">Answers picked out</th><th class="num" scope="col">Large errors, picked</th><th class="num" scope="col">Large errors, rest</th><th class="num" scope="col">Lift</th><th class="num" scope="col">Precision</th><th class="num" scope="col">Recall</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** One sentence on whether the flag points at the answers to check. */
export function reviewReading(analysis: ReviewAnalysis): string {
  const size =
    analysis.largeErrorThreshold === null
      ? `${percent(analysis.largeErrorFraction)} of the scale`
      : `${plainNumber(analysis.largeErrorThreshold)} points`;
  const { selected, rest, lift, recall } = analysis.needsReview;
  if (analysis.answers === 0) return 'There are no answers to analyse.';
  if (selected.answers === 0)
    return `No answer was flagged needs review, so the flag cannot be judged here; ${analysis.largeErrors} of ${analysis.answers} answers are off by ${size} or more.`;
  if (rest.answers === 0) return `Every answer was flagged needs review, so the flag does not single any out.`;
  if (analysis.largeErrors === 0)
    return `No answer is off by ${size} or more, so there is no large error for the flag to find.`;
  const verdict =
    lift === null
      ? 'while the rest have none'
      : lift > 1
        ? `${lift.toFixed(1)} times the rate of the rest`
        : 'no more than the rest, so the flag does not point at them';
  return `Of the answers flagged needs review, ${percent(selected.largeErrorRate ?? 0)} are off by ${size} or more against ${percent(rest.largeErrorRate ?? 0)} of the rest (${verdict}), and the flag catches ${percent(recall ?? 0)} of all large errors.`;
}

function signedError(answer: EvaluatedAnswer): string {
  const error = answer.predicted - answer.human;
  return `${error >= 0 ? '+' : '−'}${Math.abs(error).toFixed(2)}`;
}

function renderWorstAnswer(answer: EvaluatedAnswer, rank: number): string {
  const { grade } = answer;
  const band = bandFor(answer.predicted / answer.maxScore);
  // With refitted weights the prediction is no longer the score inside the grade; say so when they differ.
  const ownScore =
    Math.abs(grade.score / grade.maxScore - answer.predicted / answer.maxScore) > 0.001
      ? `<span class="confidence">the grade itself says ${grade.score.toFixed(2)} / ${formatNumber(grade.maxScore)}</span>`
      : '';
  const chips = grade.flags
    .map(
      (flag) =>
        `<span class="chip${flag === 'needs_review' ? ' review' : ''}">${escapeHtml(flag.replace(/_/g, ' '))}</span>`,
    )
    .join('');
  return `<details class="card candidate worst" data-error="${scaledError(answer).toFixed(4)}">
<summary><span class="rank">#${rank}</span><span class="name"><span class="id">${escapeHtml(answer.questionId)}</span> ${escapeHtml(answer.dataset)}</span><span>${chips}</span><span class="total">human ${plainNumber(answer.human)} · predicted ${answer.predicted.toFixed(2)} · error ${signedError(answer)}</span></summary>
<div class="answers"><article class="answer">
<dl class="seen">
<dt>Question</dt><dd>${escapeHtml(answer.question)}</dd>
<dt>Reference answer</dt><dd class="text">${escapeHtml(answer.referenceAnswer)}</dd>
<dt>Answer</dt><dd class="text">${escapeHtml(answer.answer)}</dd>
</dl>
<div class="grade"><span class="pill band-${band}">${answer.predicted.toFixed(2)} / ${formatNumber(answer.maxScore)} · ${band}</span>${ownScore}<span class="confidence">confidence ${grade.confidence.toFixed(2)} · ${grade.mode} · flags: ${grade.flags.length > 0 ? escapeHtml(grade.flags.join(', ')) : 'none'}</span></div>
<p class="rationale">${escapeHtml(grade.rationale)}</p>
<ul class="keypoints">
${grade.keyPoints.map(renderKeyPoint).join('\n')}
</ul>
${renderExamples(grade)}
</article></div>
</details>`;
}

function renderExamples(grade: Grade): string {
  if (!grade.examples || grade.examples.length === 0) return '';
  const rows = grade.examples.map(
    (example) =>
      `<tr><td><span class="id">${escapeHtml(example.id)}</span></td><td class="num">${plainNumber(example.score)}</td><td class="num">${example.weight.toFixed(2)}</td></tr>`,
  );
  return `<table class="examples"><thead><tr><th scope="col">Graded example</th><th class="num" scope="col">Score</th><th class="num" scope="col">Weight</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
